namespace Blog.Cli;

internal sealed record CliVerb(string Name, string Summary, string Description, ImmutableArray<CliOption> Options)
{
    public static readonly CliOption Content = new("--content", "the folder of Markdown posts (setting Posts:ContentPath)", "Posts:ContentPath", "DIR");
    public static readonly CliOption Out = new("--out", "the folder the feeds are written to (setting Feeds:OutputPath)", "Feeds:OutputPath", "DIR");
    public static readonly CliOption Urls = new("--urls", "where the HTTP endpoint listens, ';' between several (setting Http:Urls)", "Http:Urls", "URL");
    public static readonly CliOption Strict = new("--strict", "exit with status 1 when any post was skipped");

    public static readonly CliVerb Run = new("run",
        "run the service: serve the feeds over HTTP and keep them current (the default verb)",
        "Builds the feeds, serves them over HTTP (default http://127.0.0.1:5080) with ETags, 304s and gzip/brotli,\n" +
        "and writes them to the output folder. Watches the post folder and republishes what a change touches; also\n" +
        "rescans every Posts:RescanInterval. A post dated in the future goes live at its time. /healthz reports the\n" +
        "last build and current problems. Stops cleanly on Ctrl+C or SIGTERM.",
        [Content, Out, Urls]);

    public static readonly CliVerb Build = new("build",
        "write the feed tree once and exit",
        "Reads every post, writes RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the blog and for each tag, and the\n" +
        "Atom archive pages. Files whose bytes did not change are left alone. Broken posts are reported and\n" +
        "skipped; the exit status is 0 unless --strict is given.",
        [Content, Out, Strict]);

    public static readonly CliVerb Check = new("check",
        "report every problem in the post folder; exit 1 if there is one",
        "Reads every post as build would, writes nothing, and lists each file that would be skipped with its\n" +
        "line, field and value.",
        [Content]);

    public static readonly ImmutableArray<CliVerb> All = [Run, Build, Check];
}
