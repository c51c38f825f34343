namespace Blog.Digests;

/// <param name="Paused">Why sending stopped early: the mail server kept failing (the error budget ran out).</param>
public sealed record DigestRound(int Sent, int Skipped, int Failed, string? Paused);
