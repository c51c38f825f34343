namespace Blog.Feeds;

/// <summary>What one <see cref="OutputFolder.Write"/> did on disk.</summary>
/// <param name="Written">Documents whose file changed: after a restart with nothing new, none, however much was built anew.</param>
/// <param name="Unchanged">Documents written over a file that already held their bytes.</param>
/// <param name="Removed">Stale files deleted.</param>
/// <param name="Failures">Documents (or the prune, with an empty path) that could not be written; every other one was.</param>
public sealed record OutputReport(ImmutableArray<FeedDocument> Written, int Unchanged, int Removed, ImmutableArray<OutputFailure> Failures);
