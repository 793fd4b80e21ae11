// The playground's behaviour. Every piece of HTML it inserts was built and escaped by the server
// (src/playground/pages.ts, blockkit-html.ts); nothing typed here is inserted as HTML.
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

function showError(container, error) {
  const p = document.createElement("p");
  p.className = "problem";
  p.setAttribute("role", "alert");
  p.textContent = `That didn't work: ${error.message}`;
  container.append(p);
}

// Tabs: arrow keys move between them, as WAI-ARIA tabs do.
const tabs = [...document.querySelectorAll('[role="tab"]')];
const loaders = { "tab-prompts": loadPrompts, "tab-content": loadContent, "tab-gaps": loadGaps };
function selectTab(tab) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute("aria-controls")).hidden = !selected;
  }
  loaders[tab.id]?.();
}
for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(tab);
    const next = event.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : event.key === "ArrowLeft" ? tabs[(i + tabs.length - 1) % tabs.length] : null;
    if (next) {
      next.focus();
      selectTab(next);
    }
  });
}

// Ask: Enter asks, Shift+Enter is a new line.
const conversation = $("conversation");
async function ask() {
  const question = $("question").value;
  if (!question.trim()) return;
  try {
    const data = await call("POST", "/api/ask", { question });
    const turn = document.createElement("div");
    turn.className = "turn";
    turn.dataset.outcome = data.outcome;
    turn.append(fragment(data.html));
    conversation.append(turn);
    $("question").value = "";
    // The composer is pinned to the bottom of the screen (style.css), so it stays in view and keeps
    // the focus for the next question while the answer scrolls into the space above it.
    turn.scrollIntoView({ block: "start" });
  } catch (error) {
    showError(conversation, error);
  }
}
$("ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  ask();
});
$("question").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    ask();
  }
});

// Buttons inside any message: the server answers as the bot's listener would.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-action-id]");
  if (!button) return;
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
  const card = button.closest(".card") || button.closest(".conversation");
  const inPrompt = button.closest("#prompt") !== null;
  try {
    const data = await call("POST", "/api/action", { action_id: button.dataset.actionId, value: button.dataset.value });
    if (data.info) {
      const p = document.createElement("p");
      p.className = "hint";
      p.textContent = data.info;
      (button.closest(".bk-actions") || button.parentElement).after(p);
    } else if (data.note !== undefined) {
      $("note-form").hidden = false;
      $("note-form").dataset.week = data.week || "";
      $("note").value = data.note;
      $("note").focus();
    } else if (inPrompt || data.refresh) {
      loadPrompts();
    } else if (data.replace) {
      card.replaceChildren(fragment(data.html));
      card.className = data.className || "card";
    } else {
      // One reply per button and answer (a second click shows it again, in place); replies come in
      // the order they were asked for, newest last, as in Slack.
      const turn = card.closest(".turn") || card.parentElement;
      const key = button.dataset.actionId;
      const existing = [...turn.querySelectorAll(":scope > .card.extra")].find((e) => e.dataset.from === key);
      const extra = existing || document.createElement("div");
      extra.className = "card extra";
      extra.dataset.from = key;
      extra.replaceChildren(fragment(data.html));
      if (!existing) turn.append(extra);
      extra.scrollIntoView({ block: "nearest" });
    }
  } catch (error) {
    showError(card || document.body, error);
  }
});

// Prompts and the Home tab.
async function loadPrompts() {
  try {
    const data = await call("GET", "/api/prompts");
    $("clock").textContent = `Playground week of ${data.clock}`;
    $("prompt").replaceChildren(fragment(data.html));
    $("home").replaceChildren(fragment(data.home));
    $("team").replaceChildren(fragment(data.team));
  } catch (error) {
    showError($("prompt"), error);
  }
}
$("next-week").addEventListener("click", async () => {
  try {
    await call("POST", "/api/next-week", {});
    $("note-form").hidden = true;
    loadPrompts();
  } catch (error) {
    showError($("prompt"), error);
  }
});
$("note-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const week = $("note-form").dataset.week;
    await call("POST", "/api/note", week ? { note: $("note").value, week } : { note: $("note").value });
    $("note-form").hidden = true;
    loadPrompts();
  } catch (error) {
    showError($("prompt"), error);
  }
});

// Content: sections, content check, and why a question matched.
function showContent(data) {
  $("problems").replaceChildren(fragment(data.problems));
  $("sections").replaceChildren(fragment(data.html));
}
async function loadContent() {
  try {
    showContent(await call("GET", "/api/content"));
  } catch (error) {
    showError($("problems"), error);
  }
}
$("reload").addEventListener("click", async () => {
  try {
    showContent(await call("POST", "/api/reload", {}));
  } catch (error) {
    showError($("problems"), error);
  }
});
async function explain(question) {
  try {
    const data = await call("POST", "/api/explain", { question });
    $("explain").replaceChildren(fragment(data.html));
  } catch (error) {
    showError($("explain"), error);
  }
}
$("explain-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if ($("explain-question").value.trim()) explain($("explain-question").value);
});

// Gaps: the list, and "try it" runs a gap question through Content's explanation.
async function loadGaps() {
  try {
    const data = await call("GET", "/api/gaps");
    $("gaps").replaceChildren(fragment(data.html));
  } catch (error) {
    showError($("gaps"), error);
  }
}
$("gaps").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-try]");
  if (!button) return;
  $("explain-question").value = button.dataset.try;
  selectTab($("tab-content"));
  explain(button.dataset.try);
});

$("question").focus();
