using System.Diagnostics;
using System.Globalization;

namespace Blog.Tests.Mail;

/// <summary>The service as a child process, logging everything: neither the signing key nor the SMTP password may appear.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task The_signing_key_and_the_smtp_password_never_reach_the_log()
    {
        const string password = "Hunter2-Very-Secret";
        var key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());
        using var folder = new TempFolder();
        using var certificate = TestCertificate.Create();
        await using var smtp = await SmtpTestServer.StartAsync(certificate, ("blog", "the-right-one"));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "blog.dll"), "run", "--content", Path.Combine(TestSite.RepositoryRoot(), "content", "posts"),
            "--out", folder.Combine("out"), "--data", folder.Combine("data"), "--urls", LoopbackPort.AnyUrl,
            "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft=Trace", "--Mail:Transport=Smtp", "--Mail:Smtp:Host=127.0.0.1",
            $"--Mail:Smtp:Port={smtp.Port.ToString(CultureInfo.InvariantCulture)}", "--Mail:Smtp:Security=StartTls", "--Mail:Smtp:User=blog",
            $"--Mail:Smtp:Password={password}", $"--Mail:Smtp:TrustedCertificatePath={TestCertificate.WritePem(certificate, folder.Combine("smtp.pem"))}",
            $"--Subscriptions:SigningKey={key}", "--Mail:PollInterval=00:00:00.200",
        })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Uri? address = null;
            await Eventually.Until(() => { lock (log) return (address = LoopbackPort.FromLog(log.ToString())) is not null; }, "the service listening");
            using var client = new HttpClient { BaseAddress = address };
            await Eventually.Until(async () =>
            {
                try
                {
                    using var form = new FormUrlEncodedContent([KeyValuePair.Create("email", "ann@example.com")]);
                    using var response = await client.PostAsync("subscribe", form);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "a sign-up accepted");
            // The confirmation goes to the server, which refuses the login: that failure is logged.
            await Eventually.Until(() => { lock (log) return log.ToString().Contains("login refused for user \"blog\"", StringComparison.Ordinal); },
                "the refused login in the log");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var text = log.ToString();
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(Convert.FromBase64String(key)), text, StringComparison.OrdinalIgnoreCase);
    }
}
