using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Blog.Admin;
using Blog.Operations;
using Blog.Posts;
using Blog.Serving;
using Blog.Storage;
using Blog.Subscriptions;
using Blog.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace Blog.Cli;

/// <summary>The <c>blog</c> command: parses the command line, builds the host with validated settings, runs the verb.</summary>
internal static class BlogCli
{
    public const int Ok = 0;
    public const int Problems = 1;
    public const int Usage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        CliInput input;
        try
        {
            input = CliInput.Parse(args);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync($"blog: {e.Message}");
            return Usage;
        }
        if (input.Result.Errors.Count > 0)
        {
            // The parser's own report: each error, and for a word it did not know the nearest it does ("Did you mean").
            if (input.Result.Action is ParseErrorAction report) report.ShowHelp = false;
            await input.Result.InvokeAsync(Invocation(stderr, stderr), cancellationToken);
            await stderr.WriteLineAsync($"See '{CommandPath(input.Result.CommandResult)} --help'.");
            return Usage;
        }
        return await input.Result.InvokeAsync(Invocation(stdout, stderr), cancellationToken);
    }

    private static InvocationConfiguration Invocation(TextWriter stdout, TextWriter stderr) => new()
    {
        Output = stdout,
        Error = stderr,
        // A failure the verbs do not report is a bug, and its stack trace is what a bug report needs.
        EnableDefaultExceptionHandler = false,
        // The host stops the service on SIGTERM in its own time (HostOptions.ShutdownTimeout); the parser would cut that short.
        ProcessTerminationTimeout = null,
    };

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (CommandResult? command = result; command is not null; command = command.Parent as CommandResult)
            names.Insert(0, command.Parent is null ? "blog" : command.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary><c>blog run</c>, and <c>blog</c> with no command.</summary>
    internal static async Task<int> RunServiceAsync(ParseResult args, CancellationToken cancellationToken)
    {
        using var host = CreateService(CliInput.Of(args));
        return await RunHostAsync(host, args, (_, _, _, _, ct) => RunUntilStoppedAsync(host, ct), cancellationToken);
    }

    internal static async Task<int> RunVerbAsync(ParseResult args, VerbBody body, bool postsOptional, CancellationToken cancellationToken)
    {
        using var host = CreateHost(CliInput.Of(args), postsOptional);
        return await RunHostAsync(host, args, body, cancellationToken);
    }

    private static async Task<int> RunUntilStoppedAsync(IHost host, CancellationToken cancellationToken)
    {
        await host.RunAsync(cancellationToken);
        return Ok;
    }

    private static async Task<int> RunHostAsync(IHost host, ParseResult args, VerbBody body, CancellationToken cancellationToken)
    {
        var stdout = args.InvocationConfiguration.Output;
        var stderr = args.InvocationConfiguration.Error;
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception e) when (SettingsFailures(e) is { Count: > 0 } failures)
        {
            await stderr.WriteLineAsync("blog: the settings are not valid:");
            foreach (var failure in failures) await stderr.WriteLineAsync($"  {failure}");
            return Usage;
        }

        try
        {
            return await body(host.Services, args, stdout, stderr, cancellationToken);
        }
        catch (StorageException e)
        {
            await stderr.WriteLineAsync($"blog: {e.Message}");
            return Problems;
        }
    }

    /// <summary>
    /// Every settings problem in <paramref name="e"/>, once each: validators fail together (an aggregate), and the
    /// binder's own message names the key and the value it could not convert. Empty when it is something else.
    /// </summary>
    internal static List<string> SettingsFailures(Exception e)
    {
        var failures = new List<string>();
        var inner = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [e];
        foreach (var one in inner)
        {
            if (one is OptionsValidationException validation) failures.AddRange(validation.Failures);
            else if (IsConversionFailure(one)) failures.Add(one.Message);
            else return [];
        }
        return [.. failures.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A value the configuration binder could not convert: the binder, by reflection and source-generated alike,
    /// throws an InvalidOperationException naming the key, caused by the conversion's own exception.
    /// </summary>
    private static bool IsConversionFailure(Exception e) =>
        e is InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException };

    private static IHost CreateHost(CliInput input, bool postsOptional)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // appsettings.json is linked into the output folder, so it is found wherever the binary is started from.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. input.ConfigurationArgs],
        });
        // Options such as --content are shorthands for settings and win over every other source.
        builder.Configuration.AddInMemoryCollection(input.Settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A command reports in its own words; the service's information logs (a schema created, a mail sent) would be noise.
        builder.Logging.AddFilter("Blog", LogLevel.Warning);
        Program.AddFeatures(builder.Services, builder.Configuration, service: false);
        if (postsOptional) builder.Services.PostConfigure<PostsOptions>(o => o.FolderRequired = false);
        return builder.Build();
    }

    /// <summary>The service as <c>blog run ARGS</c> would run it, not yet started; for tests that need its services.</summary>
    /// <param name="replace">Changes to the services after the features registered theirs (a test's fake clock).</param>
    internal static WebApplication CreateService(string[] args, Action<IServiceCollection>? replace = null)
    {
        var input = CliInput.Parse(args);
        if (input.Result.Errors.Count > 0) throw new CliUsageException(string.Join(' ', input.Result.Errors.Select(e => e.Message)));
        return CreateService(input, replace);
    }

    private static WebApplication CreateService(CliInput input, Action<IServiceCollection>? replace = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. input.ConfigurationArgs],
        });
        builder.Configuration.AddInMemoryCollection(input.Settings);
        // The slim builder fixes the simple formatter; this honours Logging:Console:FormatterName (json, systemd, simple).
        builder.Logging.AddConsole();
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        Program.AddFeatures(builder.Services, builder.Configuration, service: true);
        replace?.Invoke(builder.Services);
        var app = builder.Build();
        // Behind trusted proxies (Http:KnownProxies, Http:KnownNetworks; loopback by default) the client's address comes from X-Forwarded-For.
        app.UseForwardedHeaders();
        app.UseRouting();
        app.UseAdmin();
        app.UseRateLimiter();
        app.MapSubscriptions();
        app.MapWebhooks();
        app.MapAdmin();
        app.MapOperations();
        // Runs the matched route here; anything else falls through to the site (feeds), which the router never slows down.
        app.UseEndpoints(_ => { });
        app.UseSite();
        return app;
    }
}
