using System.Diagnostics;

namespace Blog.Tests.Support;

/// <summary>
/// Runs a third-party program the tests judge output with. A missing program fails the test with the way to get it:
/// tests never skip for lack of a tool, and the README's test command installs every one.
/// </summary>
public static class ExternalTool
{
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> args, string? stdin = null,
        Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? []) info.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{program}' is not installed ({e.Message}). Run the README's test command (bash tests/run.sh), which installs it.", e);
        }
        using (process)
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
