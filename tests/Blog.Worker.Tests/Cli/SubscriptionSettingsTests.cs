using Blog.Cli;

namespace Blog.Tests.Cli;

/// <summary>Bad mail, subscription, storage and template settings stop start-up with a message naming the key.</summary>
public sealed class SubscriptionSettingsTests
{
    [Theory]
    [InlineData("--Mail:From=not an address", "Mail:From must be an address such as")]
    [InlineData("--Mail:Transport=Smtp", "Mail:Smtp:Host must be set when Mail:Transport is Smtp.")]
    [InlineData("--Mail:Transport=Carrier-Pigeon", "Mail:Transport")]
    [InlineData("--Mail:Dkim:Domain=example.com", "Mail:Dkim needs all of Domain, Selector and PrivateKeyPath, or none of them.")]
    [InlineData("--Subscriptions:SigningKey=c2hvcnQ=", "Subscriptions:SigningKey must be base64 of at least 32 bytes")]
    [InlineData("--Subscriptions:DefaultCadence=hourly", "Subscriptions:DefaultCadence \"hourly\" is not one of the cadences: daily, weekly.")]
    [InlineData("--Digests:Cadences:Every Day:Cron=0 0 8 * * ?", "Digests:Cadences: the name \"Every Day\" must be lower-case letters")]
    [InlineData("--Storage:Provider=Oracle", "Storage:Provider \"Oracle\" is not known")]
    [InlineData("--Subscriptions:SignUpsPerMinute=0", "Subscriptions:SignUpsPerMinute must be at least 1, but is 0.")]
    [InlineData("--Subscriptions:SignUpBacklog=0", "Subscriptions:SignUpBacklog must be between 1 and 1000000, but is 0.")]
    [InlineData("--Http:KnownProxies:0=proxy.example", "Http:KnownProxies:0 \"proxy.example\" is not an IP address such as 10.0.0.5 or 2001:db8::5.")]
    [InlineData("--Http:KnownNetworks:0=10.0.0.0/33", "Http:KnownNetworks:0 \"10.0.0.0/33\" is not a network such as 10.0.0.0/8 or 2001:db8::/32")]
    public async Task A_bad_setting_stops_the_service_before_it_starts(string setting, string message)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("posts"));
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(["run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("data"), setting],
            TextWriter.Null, stderr);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("data")), "nothing may be created before the settings are known to be good");
    }

    [Fact]
    public async Task A_DKIM_key_that_is_not_a_key_is_named()
    {
        using var folder = new TempFolder();
        var key = folder.Write("dkim.pem", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(["subscribers", "list", "--data", folder.Combine("data"), "--Mail:Dkim:Domain=example.com",
            "--Mail:Dkim:Selector=s1", $"--Mail:Dkim:PrivateKeyPath={key}"], TextWriter.Null, stderr);
        Assert.Equal(2, exit);
        Assert.Contains($"Mail:Dkim:PrivateKeyPath \"{key}\" is not a readable PEM private key", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_owner_template_stops_start_up_with_its_file_and_line()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("posts"));
        var template = folder.Write("templates/confirm.txt.sbn", "Hello\n{{ if x }}\nno end\n");
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(["run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("data"),
            $"--Templates:Path={folder.Combine("templates")}"], TextWriter.Null, stderr);
        Assert.Equal(2, exit);
        Assert.Contains("Templates: a template does not parse:", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{template}:", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_stops_the_command_with_its_name()
    {
        using var folder = new TempFolder();
        folder.Write("blocked", "a file");
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(["subscribers", "list", "--data", folder.Combine("blocked", "data")], TextWriter.Null, stderr);
        Assert.Equal(1, exit);
        Assert.Contains($"cannot create the data folder {folder.Combine("blocked", "data")}", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_whose_data_folder_cannot_be_created_stops_with_the_reason_not_a_stack_trace()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("posts"));
        folder.Write("blocked", "a file");
        var stderr = new StringWriter();
        var exit = await BlogCli.RunAsync(["run", "--content", folder.Combine("posts"), "--out", folder.Combine("out"), "--data", folder.Combine("blocked", "data"),
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=None"], TextWriter.Null, stderr);
        Assert.Equal(1, exit);
        Assert.StartsWith($"blog: cannot create the data folder {folder.Combine("blocked", "data")}", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }
}
