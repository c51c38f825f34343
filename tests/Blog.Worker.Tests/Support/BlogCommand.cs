using Blog.Cli;

namespace Blog.Tests.Support;

/// <summary>The whole <c>blog</c> command in-process, with what a script would see of it.</summary>
public static class BlogCommand
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
