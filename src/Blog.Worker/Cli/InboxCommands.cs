using Blog.Inbox;

namespace Blog.Cli;

/// <summary><c>blog inbox check</c>.</summary>
internal static class InboxCommands
{
    /// <summary>One pass over the return mailbox, as the service makes; 1 when it could not be read or a message could not be acted on.</summary>
    public static async Task<int> CheckAsync(IServiceProvider services, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<InboxOptions>>().Value;
        if (!options.Enabled)
            return await SubscriberCommands.FailAsync(stderr, "there is no return mailbox to read: set Mail:Inbox:Host, Mail:Inbox:User and Mail:Inbox:Password (README, \"Bounces, complaints and replies\")");
        await using var mailbox = services.GetRequiredService<IMailbox>();
        InboxSummary summary;
        try
        {
            summary = await services.GetRequiredService<InboxPass>().RunAsync(mailbox, cancellationToken);
        }
        catch (InboxException e)
        {
            return await SubscriberCommands.FailAsync(stderr, e.Message);
        }
        await stdout.WriteLineAsync(summary.ToString());
        if (summary.Errors > 0)
        {
            await stderr.WriteLineAsync($"blog: {QueuedMailDelivery.Count(summary.Errors, "message")} could not be acted on and stayed in the mailbox; the log above says why");
            return BlogCli.Problems;
        }
        return BlogCli.Ok;
    }
}
