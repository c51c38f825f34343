namespace Blog.Digests;

/// <summary>What planning a run did.</summary>
/// <param name="Subscribers">Deliveries written by this planning (none when the run was already planned).</param>
/// <param name="WithPosts">Of them, those with something new; the rest are recorded as skipped, "nothing new".</param>
public sealed record RunPlan(string Key, RunOpening Opening, int Subscribers, int WithPosts);
