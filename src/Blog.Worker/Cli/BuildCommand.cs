using Blog.Feeds;
using Blog.Posts;

namespace Blog.Cli;

internal static class BuildCommand
{
    public static int Run(FeedPublisher publisher, bool strict, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var progress = TerminalProgress.For(stderr);
        PublishReport report;
        try
        {
            report = publisher.Publish(progress, cancellationToken);
        }
        catch (PostStoreException e)
        {
            progress?.Clear();
            stderr.WriteLine($"blog: {e.Message}");
            return BlogCli.Usage;
        }
        catch (Exception e) when (OutputFolder.Failure(e) is { } failure)
        {
            progress?.Clear();
            // Files already in place are whole: each is replaced by a rename or not at all.
            stderr.WriteLine($"blog: cannot write the feeds to {publisher.OutputPath}: {failure.Message}");
            return BlogCli.Usage;
        }
        progress?.Clear();

        foreach (var problem in report.Problems) stderr.WriteLine($"skipped {problem}");
        // Nothing written at all is one error about the folder; else each file that was not written is named.
        if (!report.Failures.IsEmpty && report.Written + report.Unchanged == 0)
            stderr.WriteLine($"blog: cannot write the feeds to {publisher.OutputPath}: {report.Failures[0].Reason}");
        else
            foreach (var failure in report.Failures) stderr.WriteLine($"blog: cannot write {Path.Combine(publisher.OutputPath, failure.Path)}: {failure.Reason}");
        stdout.WriteLine(
            $"built {report.Feeds} feeds ({report.Feeds * FeedBuilder.FileNames.Length} files) and {report.ArchivePages} archive pages " +
            $"from {report.Published} published posts in {publisher.OutputPath}: {report.Written} written, {report.Unchanged} unchanged, " +
            $"{report.Removed} removed, {report.Failures.Length} not written; {report.Problems.Length} skipped; " +
            $"{report.Elapsed.TotalSeconds:0.00} s (read {report.Phases.Read.TotalSeconds:0.00}, render {report.Phases.Render.TotalSeconds:0.00}, write {report.Phases.Write.TotalSeconds:0.00})");
        if (report.NextScheduled is { } next) stdout.WriteLine($"next scheduled post goes live at {next:u}");
        if (!report.Failures.IsEmpty) return BlogCli.Usage;
        return strict && report.Problems.Length > 0 ? BlogCli.Problems : BlogCli.Ok;
    }
}
