/**
 * Multinomial logistic regression (softmax) over sparse features: the supervised half of the
 * matcher. Small on purpose: a few thousand features, ten or so classes, a few hundred to a few
 * thousand examples, trained in milliseconds every time content loads.
 */

/** A feature vector: feature name → value. */
export type Features = ReadonlyMap<string, number>;

export interface Example {
  features: Features;
  /** Index of the right class. */
  label: number;
  /** How much this example counts against the others (default 1). */
  weight?: number;
}

export interface TrainingOptions {
  /** L2 penalty on every weight, per example. */
  l2: number;
  /** Passes over the examples. */
  epochs: number;
  /** Step size of the first pass; it shrinks as 1/sqrt(pass). */
  learningRate: number;
}

/** Examples with features as row numbers, for the training loop. */
interface Row {
  ids: Int32Array;
  values: Float64Array;
  label: number;
  weight: number;
}

export class Classifier {
  private constructor(
    readonly classes: number,
    private readonly ids: ReadonlyMap<string, number>,
    /** Row-major: weights[feature * classes + class]. */
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  /** Trains with stochastic gradient descent in a fixed order, so the same data gives the same model. */
  static train(classes: number, examples: readonly Example[], options: TrainingOptions): Classifier {
    const ids = new Map<string, number>();
    const rows: Row[] = examples.map((example) => {
      const featureIds = new Int32Array(example.features.size);
      const values = new Float64Array(example.features.size);
      let i = 0;
      for (const [feature, value] of example.features) {
        let id = ids.get(feature);
        if (id === undefined) {
          id = ids.size;
          ids.set(feature, id);
        }
        featureIds[i] = id;
        values[i] = value;
        i++;
      }
      return { ids: featureIds, values, label: example.label, weight: example.weight ?? 1 };
    });
    const weights = new Float64Array(ids.size * classes);
    const bias = new Float64Array(classes);
    const order = rows.map((_, index) => index);
    const random = seededRandom(rows.length);
    const p = new Float64Array(classes);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, random);
      const rate = options.learningRate / Math.sqrt(epoch + 1);
      const decay = 1 - rate * options.l2;
      for (const index of order) {
        const row = rows[index] as Row;
        scoreRow(weights, bias, classes, row.ids, row.values, p);
        softmaxInPlace(p);
        p[row.label] = (p[row.label] as number) - 1; // now the gradient of the loss by each logit
        const step = rate * row.weight;
        for (let c = 0; c < classes; c++) bias[c] = (bias[c] as number) - step * (p[c] as number);
        for (let i = 0; i < row.ids.length; i++) {
          const base = (row.ids[i] as number) * classes;
          const value = row.values[i] as number;
          for (let c = 0; c < classes; c++) {
            weights[base + c] = (weights[base + c] as number) * decay - step * (p[c] as number) * value;
          }
        }
      }
    }
    return new Classifier(classes, ids, weights, bias);
  }

  /** Probability of each class for the features. Unknown features are ignored. */
  probabilities(features: Features): Float64Array {
    const out = new Float64Array(this.bias);
    for (const [feature, value] of features) {
      const id = this.ids.get(feature);
      if (id === undefined) continue;
      const base = id * this.classes;
      for (let c = 0; c < this.classes; c++)
        out[c] = (out[c] as number) + (this.weights[base + c] as number) * value;
    }
    softmaxInPlace(out);
    return out;
  }

  /** How much one feature pushes towards a class rather than the others (its weight minus their mean). */
  pull(feature: string, target: number): number {
    const id = this.ids.get(feature);
    if (id === undefined) return 0;
    const base = id * this.classes;
    let sum = 0;
    for (let c = 0; c < this.classes; c++) sum += this.weights[base + c] as number;
    return (this.weights[base + target] as number) - sum / this.classes;
  }
}

function scoreRow(
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  ids: Int32Array,
  values: Float64Array,
  out: Float64Array,
): void {
  out.set(bias);
  for (let i = 0; i < ids.length; i++) {
    const base = (ids[i] as number) * classes;
    const value = values[i] as number;
    for (let c = 0; c < classes; c++) out[c] = (out[c] as number) + (weights[base + c] as number) * value;
  }
}

function softmaxInPlace(values: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > max) max = value;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const e = Math.exp((values[i] as number) - max);
    values[i] = e;
    sum += e;
  }
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / sum;
}

/** Mulberry32: a tiny seeded generator, so training is repeatable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
}
