using Blog.Feeds;
using Blog.Posts;
using Blog.Serving;
using Blog.Storage;
using Blog.Subscriptions;
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
            await stdout.WriteAsync(parsed.HelpGroup is { } group ? HelpText.ForGroup(group) : parsed.Verb is null ? HelpText.Overview() : HelpText.For(parsed.Verb));
            return Ok;
        }

        using var host = CreateHost(parsed);
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
            return await RunVerbAsync(parsed, host, stdout, stderr, cancellationToken);
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
    private static List<string> SettingsFailures(Exception e)
    {
        var failures = new List<string>();
        var inner = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [e];
        foreach (var one in inner)
        {
            if (one is OptionsValidationException validation) failures.AddRange(validation.Failures);
            else if (one is InvalidOperationException conversion && conversion.Message.Contains("configuration value", StringComparison.Ordinal)) failures.Add(conversion.Message);
            else return [];
        }
        return [.. failures.Distinct(StringComparer.Ordinal)];
    }

    private static async Task<int> RunVerbAsync(CliArguments parsed, IHost host, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var services = host.Services;
        var verb = parsed.Verb!;
        if (verb == CliVerb.Build) return BuildCommand.Run(services.GetRequiredService<FeedPublisher>(), parsed.Has(CliVerb.Strict), stdout, stderr, cancellationToken);
        if (verb == CliVerb.Check) return CheckCommand.Run(services.GetRequiredService<PublishedPosts>(), stdout, stderr, cancellationToken);
        if (verb == CliVerb.SubscriberAdd) return await SubscriberCommands.AddAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.SubscriberList) return await SubscriberCommands.ListAsync(services, stdout, cancellationToken);
        if (verb == CliVerb.SubscriberRemove) return await SubscriberCommands.RemoveAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.SubscriberForget) return await SubscriberCommands.ForgetAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.SubscriberImport) return await SubscriberFileCommands.ImportAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.SubscriberExport) return await SubscriberFileCommands.ExportAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.DigestPreview) return await DigestCommands.PreviewAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.DigestSend) return await DigestCommands.SendAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.DigestStatus) return await DigestCommands.StatusAsync(services, stdout, cancellationToken);
        if (verb == CliVerb.DigestRetry) return await DigestCommands.RetryAsync(services, parsed, stdout, stderr, cancellationToken);
        if (verb == CliVerb.StorageMigrate) return await StorageCommands.MigrateAsync(services, parsed, stdout, stderr, cancellationToken);

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
        // A command reports in its own words; the service's information logs (a schema created, a mail sent) would be noise.
        builder.Logging.AddFilter("Blog", LogLevel.Warning);
        Program.AddFeatures(builder.Services, builder.Configuration, service: false);
        if (parsed.Verb!.IsSubscriberCommand) builder.Services.PostConfigure<PostsOptions>(o => o.FolderRequired = false);
        return builder.Build();
    }

    /// <summary>The service as <c>blog run ARGS</c> would run it, not yet started; for tests that need its services.</summary>
    /// <param name="replace">Changes to the services after the features registered theirs (a test's fake clock).</param>
    internal static WebApplication CreateService(string[] args, Action<IServiceCollection>? replace = null) => CreateService(CliArguments.Parse(args), replace);

    private static WebApplication CreateService(CliArguments parsed, Action<IServiceCollection>? replace = null)
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
        replace?.Invoke(builder.Services);
        builder.WebHost.UseUrls(builder.Configuration[$"{HttpOptions.Section}:{nameof(HttpOptions.Urls)}"] ?? new HttpOptions().Urls);
        var app = builder.Build();
        app.UseSubscriptions();
        app.UseSite();
        return app;
    }
}
