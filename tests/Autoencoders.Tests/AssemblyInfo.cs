// libtorch's thread count and random state are process-wide; tests that train run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
