import { describe, expect, it } from "vitest";
import { loadLibrary, parseArticle } from "../src/content/load.js";
import type { Section } from "../src/content/types.js";
import { ContentEvidence, titleHolders } from "../src/match/content-evidence.js";
import { Matcher } from "../src/match/matcher.js";
import { termOf, tokenize } from "../src/match/terms.js";

// A second article as a content owner adds it: headings, summaries and aliases, and no examples.
const OFFSITE = `---
title: Running a Leadership Offsite
sections:
  - section: why-hold-an-offsite
    role: overview
    summary: An offsite buys a leadership group uninterrupted time to decide what a normal week cannot.
    aliases: [is an offsite worth it, point of a leadership retreat]
  - section: choosing-the-venue
    summary: Pick a place near enough to reach in half a day, with a room that seats everyone at one table.
    aliases: [where to hold the offsite, booking a location for the retreat]
  - section: the-agenda
    summary: Three decisions at most, each with a pre-read and an owner.
    aliases: [what to put on the offsite schedule, planning the sessions]
---

## Why hold an offsite

Leaders spend the week reacting. An offsite is the one time a leadership group sits together long
enough to settle the questions that keep coming back, away from the tickets and the pages.

## Choosing the venue

Choose a venue everyone can reach within half a day of travel. The room matters more than the
scenery: one table that seats everyone, daylight, and walls you can write on. Book early.

## The agenda

Bring at most three decisions. Each gets a short pre-read sent a week before, an owner who frames
it, and a slot long enough to finish it. Leave the last hour for writing down who does what.
`;

const seed = loadLibrary("content");
const offsite = parseArticle("offsite.md", OFFSITE);
const library = { sections: [...seed.sections, ...offsite.sections], examples: seed.examples };
const terms = (text: string) =>
  tokenize(text).flatMap((word) => {
    const term = termOf(word);
    return term === null ? [] : [{ word, term }];
  });

describe("a second article with no examples", () => {
  const matcher = new Matcher(library);

  it.each([
    ["which venue should we book for the offsite, somewhere people can reach", "choosing-the-venue"],
    ["what should go on the agenda for the offsite, and how many decisions", "the-agenda"],
    ["is a leadership offsite worth the money", "why-hold-an-offsite"],
    ["summarise the running a leadership offsite article", "why-hold-an-offsite"],
  ])("answers %j from it (%s)", (question, id) => {
    expect(matcher.best(question)?.section.id).toBe(id);
  });

  it.each([
    ["I miss coding, should I go back to being an engineer?", "ic"],
    ["I now run three teams through their leads, what should I be doing", "wide"],
    ["is engineering management a promotion", "engineering-management-is-not-a-promotion"],
  ])("still answers the seed article's %j from the seed (%s)", (question, id) => {
    expect(matcher.best(question)?.section.id).toBe(id);
  });

  it("still declines what neither article covers", () => {
    expect(matcher.best("which level of the parking garage is reserved for visitors")).toBeNull();
    expect(matcher.best("how do I reset my laptop password")).toBeNull();
  });

  it("does so because of the content's own words, the corrected priors and the lift for few examples, not by luck", () => {
    const plain = new Matcher(library, {
      sectionCoverWeight: 0,
      articleCoverWeight: 0,
      priorCorrection: 0,
      articleBalance: 0,
      fewExamplesLift: 0,
    });
    const question = "which venue should we book for the offsite, somewhere people can reach";
    const [withEvidence] = matcher.rank(question, 1);
    const [without] = plain.rank(question, 1);
    expect(withEvidence?.section.id).toBe("choosing-the-venue");
    expect(withEvidence?.score ?? 0).toBeGreaterThan(
      without?.section.id === "choosing-the-venue" ? without.score : 0,
    );
  });
});

describe("the lift for sections with few examples", () => {
  const lifted = new Matcher(library, { fewExamplesLift: 1 });
  const flat = new Matcher(library, { fewExamplesLift: 0 });
  const shareOf = (matcher: Matcher, question: string, slug: string) =>
    matcher
      .rank(question, matcher.sections.length)
      .reduce((sum, m) => sum + (m.section.article === slug ? m.share : 0), 0);

  it("makes a new article's section surer against no guidance, not the seed's", () => {
    const question = "what should go on the agenda for the offsite, and how many decisions";
    const [withLift] = lifted.rank(question, 1);
    const [without] = flat.rank(question, 1);
    expect(withLift?.section.id).toBe("the-agenda");
    expect(without?.section.id).toBe("the-agenda");
    // No offsite section has examples, so each gets the whole lift (1): its odds against no
    // guidance grow e-fold, and the sections' order within the article stays as it was.
    const odds = (p: number) => p / (1 - p);
    expect(odds(withLift?.score ?? 0) / odds(without?.score ?? 0.5)).toBeCloseTo(Math.E, 1);
    // The seed's sections have hundreds of examples each: their confidence hardly moves.
    const seedQuestion = "I miss coding, should I go back to being an engineer?";
    expect(lifted.rank(seedQuestion, 1)[0]?.score).toBeCloseTo(flat.rank(seedQuestion, 1)[0]?.score ?? 0, 1);
  });

  it("does not take a question's evidence from one article to give it to another", () => {
    const question = "I now run three teams through their leads, what should I be doing";
    expect(shareOf(lifted, question, offsite.slug)).toBeCloseTo(shareOf(flat, question, offsite.slug), 6);
  });
});

describe("ContentEvidence", () => {
  const evidence = new ContentEvidence(library.sections, terms);
  const index = (id: string) => library.sections.findIndex((s: Section) => s.id === id);

  it("credits the section whose own words cover the question, and its article", () => {
    const { section, article } = evidence.cover(terms("book a venue with a table and daylight"));
    const venue = index("choosing-the-venue");
    expect(section[venue]).toBeGreaterThan(0.5);
    expect(section[venue]).toBeGreaterThan(section[index("the-agenda")] as number);
    expect(article[venue]).toBeGreaterThan(article[index("narrow")] as number);
  });

  it("covers nothing of a question with no word the content uses", () => {
    const { section, article } = evidence.cover(terms("xyzzy plugh"));
    expect(Math.max(...section, ...article)).toBe(0);
  });

  it("moves evidence between sections but keeps their total against no guidance", () => {
    const learned = Float64Array.from(library.sections, (_, i) => 0.01 + (i % 3) * 0.02);
    const scale = new Float64Array(library.sections.length).fill(1);
    const moved = evidence.reweigh(learned, terms("choose a venue for the offsite"), {
      section: 5,
      article: 5,
      scale,
    });
    const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
    expect(sum(moved)).toBeCloseTo(sum(learned), 10);
    expect(moved[index("choosing-the-venue")]).toBeGreaterThan(
      learned[index("choosing-the-venue")] as number,
    );
  });

  it("lifts a section within its article only: each article keeps its share of the evidence", () => {
    const learned = Float64Array.from(library.sections, (_, i) => 0.01 + (i % 3) * 0.02);
    const scale = new Float64Array(library.sections.length).fill(0);
    const lift = new Float64Array(library.sections.length);
    lift[index("the-agenda")] = 2;
    const question = terms("choose a venue for the offsite");
    const plain = evidence.reweigh(learned, question, { section: 5, article: 5, scale });
    const lifted = evidence.reweigh(learned, question, { section: 5, article: 5, scale, lift });
    const offsiteShare = (values: Float64Array) =>
      library.sections.reduce(
        (sum, s, i) => sum + (s.article === offsite.slug ? (values[i] as number) : 0),
        0,
      );
    expect(offsiteShare(lifted)).toBeCloseTo(offsiteShare(plain), 10);
    expect(lifted[index("the-agenda")]).toBeGreaterThan(plain[index("the-agenda")] as number);
    expect(lifted[index("choosing-the-venue")]).toBeLessThan(plain[index("choosing-the-venue")] as number);
  });

  it("leaves a one-article library's sections to what was learned when they have many examples", () => {
    const only = new ContentEvidence(seed.sections, terms);
    const learned = Float64Array.from(seed.sections, (_, i) => 0.05 + i * 0.01);
    const many = new Float64Array(seed.sections.length).fill(0);
    const moved = only.reweigh(learned, terms("I miss writing code"), {
      section: 5,
      article: 5,
      scale: many,
    });
    moved.forEach((value, i) => {
      expect(value).toBeCloseTo(learned[i] as number, 10);
    });
  });

  it("gives an article's title to its overview, or to its first section when it has none", () => {
    const held = [...titleHolders(library.sections)].map((i) => library.sections[i]?.id);
    expect(held).toContain("why-hold-an-offsite");
    expect(held).toContain("levels-of-engineering-management-focus");
    const noOverview = library.sections.filter((s) => s.role !== "overview");
    const first = noOverview.find((s) => s.article === offsite.slug)?.id;
    expect([...titleHolders(noOverview)].map((i) => noOverview[i]?.id)).toContain(first);
  });
});
