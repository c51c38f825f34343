using Blog.Feeds;
using Blog.Posts;
using Blog.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace Blog.Cli;

/// <summary>The <c>blog</c> command: parses the verb, builds the host with validated settings, runs the verb.</summary>
internal static class BlogCli
{
    public const int Ok = 0;
    public const int Problems = 1;
    public const int Usage = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        CliArguments parsed;
        try
        {
            parsed = CliArguments.Parse(args);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync($"blog: {e.Message}");
            return Usage;
        }
        if (parsed.Help || parsed.Verb is null)
        {
            await stdout.WriteAsync(parsed.Verb is null ? HelpText.Overview() : HelpText.For(parsed.Verb));
            return Ok;
        }

        using var host = CreateHost(parsed);
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            await stderr.WriteLineAsync("blog: the settings are not valid:");
            foreach (var failure in e.Failures) await stderr.WriteLineAsync($"  {failure}");
            return Usage;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration value", StringComparison.Ordinal))
        {
            // The binder's own message names the key and the value it could not convert.
            await stderr.WriteLineAsync($"blog: the settings are not valid:\n  {e.Message}");
            return Usage;
        }

        if (parsed.Verb == CliVerb.Build) return BuildCommand.Run(host.Services.GetRequiredService<FeedPublisher>(), parsed.Flags.Contains(CliVerb.Strict.Name), stdout, stderr, cancellationToken);
        if (parsed.Verb == CliVerb.Check) return CheckCommand.Run(host.Services.GetRequiredService<PostStore>(), stdout, stderr, cancellationToken);

        await host.RunAsync(cancellationToken);
        return Ok;
    }

    private static IHost CreateHost(CliArguments parsed)
    {
        if (parsed.Verb == CliVerb.Run) return CreateService(parsed);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // appsettings.json is linked into the output folder, so it is found wherever the binary is started from.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. parsed.ConfigurationArgs],
        });
        // Options such as --content are shorthands for settings and win over every other source.
        builder.Configuration.AddInMemoryCollection(parsed.Settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        Program.AddFeatures(builder.Services, builder.Configuration, service: false);
        return builder.Build();
    }

    /// <summary>The service as <c>blog run ARGS</c> would run it, not yet started; for tests that need its services.</summary>
    internal static WebApplication CreateService(string[] args) => CreateService(CliArguments.Parse(args));

    private static WebApplication CreateService(CliArguments parsed)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [.. parsed.ConfigurationArgs],
        });
        builder.Configuration.AddInMemoryCollection(parsed.Settings);
        // The slim builder fixes the simple formatter; this honours Logging:Console:FormatterName (json, systemd, simple).
        builder.Logging.AddConsole();
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        Program.AddFeatures(builder.Services, builder.Configuration, service: true);
        builder.WebHost.UseUrls(builder.Configuration[$"{HttpOptions.Section}:{nameof(HttpOptions.Urls)}"] ?? new HttpOptions().Urls);
        var app = builder.Build();
        app.UseSite();
        return app;
    }
}
