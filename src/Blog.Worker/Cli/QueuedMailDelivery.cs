using System.Globalization;
using Blog.Mail;

namespace Blog.Cli;

/// <summary>After a command queued mail: sends it now, with progress, and says where it went or why it waits.</summary>
internal static class QueuedMailDelivery
{
    public static async Task SendAsync(IServiceProvider services, int queued, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var sender = services.GetRequiredService<OutboxSender>();
        if (queued == 0) return;
        var progress = TerminalProgress.For(stderr);
        // Stops at the first transient failure: the running service sends the rest, and whoever waits at the terminal
        // does not sit through Mail:ErrorBudget timeouts of a server that drops packets.
        var round = await sender.SendDueAsync(progress is null ? null : new Progress<int>(n =>
            progress.Report(string.Create(CultureInfo.InvariantCulture, $"sending mail {n}/{queued}"))), cancellationToken, errorBudget: 1);
        progress?.Clear();
        if (round.Sent > 0) await stdout.WriteLineAsync($"sent {Count(round.Sent, "mail")} to {sender.Transport.Describe()}");
        if (round.Failed > 0) await stderr.WriteLineAsync($"blog: {Count(round.Failed, "mail")} refused for good; see the service log or the outbox");
        if (round.TransientError is { } error)
        {
            // The outbox's own count: the round only knows the batch it had claimed when the transport failed.
            var waiting = (await services.GetRequiredService<IMailOutbox>().CountAsync(cancellationToken)).Pending;
            await stderr.WriteLineAsync(round.StoppedSending
                ? $"blog: mail paused: {error}. {Count(waiting, "mail")} kept in the queue; once Mail:Smtp is fixed, the running service (blog run) sends them"
                : $"blog: {Count(waiting, "mail")} kept in the queue for the running service (blog run) to send: {error}");
        }
    }

    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{n} {Plural(noun)}");

    private static string Plural(string noun) => noun switch
    {
        _ when noun.EndsWith('s') => noun + "es",
        _ when noun.EndsWith('y') && noun.Length > 1 && !"aeiou".Contains(noun[^2], StringComparison.Ordinal) => noun[..^1] + "ies",
        _ => noun + "s",
    };
}
