import { seededRandom } from "./random.js";

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

/** A trained classifier as plain JSON. */
export interface SavedClassifier {
  classes: number;
  /** Feature names, in the order of their rows of weights. */
  features: string[];
  /** Row-major weights (feature × class), as base64 of little-endian float64 bytes. */
  weights: string;
  bias: number[];
}

/** A trained classifier's parts: `SavedClassifier` with its weights unencoded. */
export interface ClassifierParts {
  classes: number;
  features: string[];
  bias: number[];
  /** Row-major: weights[feature * classes + class]. */
  weights: Float64Array;
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
    // Flat arrays, so the loops below stay on numbers: feature ids and values of example i are at
    // [starts[i], starts[i + 1]).
    const ids = new Map<string, number>();
    const starts = new Int32Array(examples.length + 1);
    let size = 0;
    for (const example of examples) size += example.features.size;
    const featureIds = new Int32Array(size);
    const values = new Float64Array(size);
    const labels = new Int32Array(examples.length);
    const weightOf = new Float64Array(examples.length);
    let at = 0;
    examples.forEach((example, i) => {
      starts[i] = at;
      labels[i] = example.label;
      weightOf[i] = example.weight ?? 1;
      for (const [feature, value] of example.features) {
        let id = ids.get(feature);
        if (id === undefined) {
          id = ids.size;
          ids.set(feature, id);
        }
        featureIds[at] = id;
        values[at] = value;
        at++;
      }
    });
    starts[examples.length] = at;

    const weights = new Float64Array(ids.size * classes);
    const bias = new Float64Array(classes);
    const order = Array.from({ length: examples.length }, (_, index) => index);
    const random = seededRandom(examples.length);
    const p = new Float64Array(classes);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, random);
      const rate = options.learningRate / Math.sqrt(epoch + 1);
      const decay = 1 - rate * options.l2;
      for (let k = 0; k < order.length; k++) {
        const i = order[k] as number;
        const from = starts[i] as number;
        const to = starts[i + 1] as number;
        // Logits, then softmax, then the gradient of the loss by each logit, all in p.
        p.set(bias);
        for (let j = from; j < to; j++) {
          const base = (featureIds[j] as number) * classes;
          const value = values[j] as number;
          for (let c = 0; c < classes; c++) p[c] = (p[c] as number) + (weights[base + c] as number) * value;
        }
        softmaxInPlace(p);
        const label = labels[i] as number;
        p[label] = (p[label] as number) - 1;
        const step = rate * (weightOf[i] as number);
        for (let c = 0; c < classes; c++) bias[c] = (bias[c] as number) - step * (p[c] as number);
        for (let j = from; j < to; j++) {
          const base = (featureIds[j] as number) * classes;
          const scaled = step * (values[j] as number);
          for (let c = 0; c < classes; c++) {
            weights[base + c] = (weights[base + c] as number) * decay - scaled * (p[c] as number);
          }
        }
      }
    }
    return new Classifier(classes, ids, weights, bias);
  }

  /** The model as plain data, for `Classifier.fromJSON`. Weights travel as base64 of their bytes. */
  toJSON(): SavedClassifier {
    return {
      classes: this.classes,
      features: [...this.ids.keys()],
      weights: Buffer.from(this.weights.buffer, this.weights.byteOffset, this.weights.byteLength).toString(
        "base64",
      ),
      bias: [...this.bias],
    };
  }

  /** A classifier saved with `toJSON`; throws when the data does not fit together. */
  static fromJSON(saved: SavedClassifier): Classifier {
    const bytes = Buffer.from(saved.weights, "base64");
    if (bytes.byteLength % Float64Array.BYTES_PER_ELEMENT !== 0)
      throw new Error("saved classifier does not fit together");
    const weights = new Float64Array(bytes.byteLength / Float64Array.BYTES_PER_ELEMENT);
    new Uint8Array(weights.buffer).set(bytes);
    return Classifier.fromParts({ ...saved, weights });
  }

  /** The model as parts: the weights as they are in memory, for a binary copy (see model-cache.ts). */
  parts(): ClassifierParts {
    return {
      classes: this.classes,
      features: [...this.ids.keys()],
      bias: [...this.bias],
      weights: this.weights,
    };
  }

  /** A classifier from its `parts`; throws when they do not fit together. */
  static fromParts(parts: ClassifierParts): Classifier {
    const { classes, features, bias, weights } = parts;
    if (
      !Number.isInteger(classes) ||
      classes < 1 ||
      !Array.isArray(features) ||
      !Array.isArray(bias) ||
      bias.length !== classes ||
      weights.length !== features.length * classes
    ) {
      throw new Error("saved classifier does not fit together");
    }
    // A loop rather than `new Map(pairs)`: tens of thousands of features, at every start.
    const ids = new Map<string, number>();
    for (let id = 0; id < features.length; id++) ids.set(features[id] as string, id);
    return new Classifier(classes, ids, weights, Float64Array.from(bias));
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

  /** Each class's learned bias (its prior, in log-odds), a copy. */
  biases(): number[] {
    return [...this.bias];
  }

  /**
   * How much a feature pushes towards each of `targets` rather than the other classes (its weight
   * minus their mean), written to `out` in the same order, with one look-up of the feature: false,
   * and `out` untouched, when the model does not know it.
   */
  pullsInto(feature: string, targets: readonly number[], out: Float64Array): boolean {
    const id = this.ids.get(feature);
    if (id === undefined) return false;
    const base = id * this.classes;
    let sum = 0;
    for (let c = 0; c < this.classes; c++) sum += this.weights[base + c] as number;
    const mean = sum / this.classes;
    for (let i = 0; i < targets.length; i++)
      out[i] = (this.weights[base + (targets[i] as number)] as number) - mean;
    return true;
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

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
}
