"""Reference values for EmbeddingQualityTests (documentation; CI does not run this).

Run with Debian's Python and scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 tests/Autoencoders.Tests/Evaluation/reference/embedding_quality_reference.py

It rebuilds the test's data with the same formula as ReferenceData.cs (SplitMix64 doubles in IEEE
arithmetic, rounded to float32 at the end) and prints the values the C# test keeps. Numbers were
obtained with scikit-learn 1.2.1, SciPy 1.10.1, NumPy 1.24.2 (Debian 12).
"""

import numpy as np
from scipy.spatial.distance import pdist
from scipy.stats import mode, spearmanr
from sklearn.manifold import trustworthiness
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):  # [0, 1), 53 bits
        return (self.next() >> 11) * 2.0 ** -53

    def below(self, m):  # the library's PairSample draw
        return ((self.next() >> 32) * m) >> 32


def reference_data(n=300, d=20, classes=3, seed=20260101):
    """Three overlapping clusters in 20-D, spread most along the first two axes, and a noisy 2-D map of them."""
    rng = SplitMix64(seed)
    centres = [[2.0 * rng.uniform() - 1.0 for _ in range(d)] for _ in range(classes)]
    projection = [[2.0 * rng.uniform() - 1.0 for _ in range(d)] for _ in range(2)]
    x = np.zeros((n, d), dtype=np.float32)
    z = np.zeros((n, 2), dtype=np.float32)
    labels = np.zeros(n, dtype=np.int64)
    for i in range(n):
        c = i % classes
        labels[i] = c
        row = [centres[c][f] + (8.0 if f < 2 else 3.0) * (rng.uniform() - 0.5) for f in range(d)]
        for e in range(2):
            s = 0.0
            for f in range(d):
                s += projection[e][f] * row[f]
            z[i, e] = np.float32(row[e] + 0.2 * s + 0.5 * (rng.uniform() - 0.5))
        x[i, :] = np.array(row, dtype=np.float64).astype(np.float32)
    return x, z, labels


def pair_sample(n, count, seed):
    rng = SplitMix64(seed)
    a, b = [], []
    for _ in range(count):
        i = rng.below(n)
        j = rng.below(n - 1)
        a.append(i)
        b.append(j + 1 if j >= i else j)
    return np.array(a), np.array(b)


def preservation(x, z, k):
    nx = NearestNeighbors(n_neighbors=k).fit(x).kneighbors(return_distance=False)
    nz = NearestNeighbors(n_neighbors=k).fit(z).kneighbors(return_distance=False)
    return np.mean([len(set(nx[i]) & set(nz[i])) / k for i in range(len(x))])


def leave_one_out(z, labels, k):
    neighbours = NearestNeighbors(n_neighbors=k).fit(z).kneighbors(return_distance=False)
    predicted = mode(labels[neighbours], axis=1, keepdims=False).mode  # smallest label on a tie
    return np.mean(predicted == labels)


def main():
    x, z, labels = reference_data()
    x64, z64 = x.astype(np.float64), z.astype(np.float64)
    print(f"checksum x {x64.sum():.17g}  z {z64.sum():.17g}")
    for k in (1, 5, 10, 20, 50):
        t = trustworthiness(x64, z64, n_neighbors=k)
        c = trustworthiness(z64, x64, n_neighbors=k)
        p = preservation(x64, z64, k)
        print(f"k={k}: trustworthiness {t:.17g}  continuity {c:.17g}  preservation {p:.17g}")
    print(f"spearman all pairs {spearmanr(pdist(x64, 'sqeuclidean'), pdist(z64, 'sqeuclidean')).correlation:.17g}")
    a, b = pair_sample(len(x), 5000, 7)
    dx = ((x64[a] - x64[b]) ** 2).sum(1)
    dz = ((z64[a] - z64[b]) ** 2).sum(1)
    print(f"spearman 5000 pairs, seed 7 {spearmanr(dx, dz).correlation:.17g}")
    print(f"leave-one-out 5-NN accuracy, embedding {leave_one_out(z64, labels, 5):.17g}")
    for name, data in (("embedding", z64), ("input", x64)):
        knn = KNeighborsClassifier(n_neighbors=5).fit(data[:200], labels[:200])
        print(f"5-NN accuracy, first 200 train / last 100 test, {name} {knn.score(data[200:], labels[200:]):.17g}")


if __name__ == "__main__":
    main()
