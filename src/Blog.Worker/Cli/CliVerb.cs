namespace Blog.Cli;

/// <summary>
/// A command. A two-word name (<c>subscribers add</c>) belongs to a group; <see cref="Arguments"/> name the
/// positional arguments it needs, in order.
/// </summary>
internal sealed record CliVerb(string Name, string Summary, string Description, ImmutableArray<CliOption> Options, ImmutableArray<string> Arguments = default)
{
    public static readonly CliOption Content = new("--content", "the folder of Markdown posts (setting Posts:ContentPath)", "Posts:ContentPath", "DIR");
    public static readonly CliOption Out = new("--out", "the folder the feeds are written to (setting Feeds:OutputPath)", "Feeds:OutputPath", "DIR");
    public static readonly CliOption Urls = new("--urls", "where the HTTP endpoint listens, ';' between several (setting Http:Urls)", "Http:Urls", "URL");
    public static readonly CliOption Data = new("--data", "the data folder: database, signing key, mail pickup folder (setting Storage:DataPath)", "Storage:DataPath", "DIR");
    public static readonly CliOption Strict = new("--strict", "exit with status 1 when any post was skipped");
    public static readonly CliOption Tags = new("--tags", "only posts with these tags, ',' between several (default: every post)", ValueName: "LIST");
    public static readonly CliOption Cadence = new("--cadence", "the schedule, such as daily or weekly (default: Subscriptions:DefaultCadence)", ValueName: "NAME");
    public static readonly CliOption Confirmed = new("--confirmed", "consent is already on record: active at once, no confirmation mail");

    public static readonly CliOption To = new("--to", "the subscriber whose digest to show", ValueName: "EMAIL");
    public static readonly CliOption OutFile = new("--out", "write the message to FILE (an .eml file) instead of standard output", ValueName: "FILE");
    public static readonly CliOption OneCadence = new("--cadence", "only this cadence (default: every cadence)", ValueName: "NAME");

    public const string SubscribersGroup = "subscribers";
    public const string DigestGroup = "digest";
    public const string StorageGroup = "storage";

    public static readonly CliOption Target = new("--to", "the PostgreSQL database to copy into, empty: \"Host=…;Database=…;Username=…\" (or BLOG_MIGRATE_TO)", ValueName: "CONNECTION");

    public static readonly CliVerb Run = new("run",
        "run the service: serve the feeds and the sign-up pages over HTTP, keep the feeds current, send mail (the default)",
        "Builds the feeds, serves them over HTTP (default http://127.0.0.1:5080) with ETags, 304s and gzip/brotli,\n" +
        "and writes them to the output folder. Watches the post folder and republishes what a change touches; also\n" +
        "rescans every Posts:RescanInterval. A post dated in the future goes live at its time. /healthz reports the\n" +
        "last build and current problems. Serves /subscribe, /confirm, /unsubscribe and /preferences, and sends the\n" +
        "queued mail (to the pickup folder data/mail/ unless Mail:Transport is Smtp). Stops cleanly on Ctrl+C or SIGTERM.",
        [Content, Out, Urls, Data]);

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

    public static readonly CliVerb SubscriberAdd = new("subscribers add",
        "add one address",
        "Adds EMAIL as pending and sends it a confirmation mail, or as active with --confirmed. Tags and the cadence\n" +
        "must be ones the blog has. An address already on the list is left as it is (exit status 1).",
        [Tags, Cadence, Confirmed, Data, Content], ["EMAIL"]);

    public static readonly CliVerb SubscriberList = new("subscribers list",
        "list every address with its status, cadence and tags",
        "Prints one line per subscriber, oldest first, then the counts by status.",
        [Data]);

    public static readonly CliVerb SubscriberRemove = new("subscribers remove",
        "unsubscribe one address (the record stays)",
        "Marks EMAIL unsubscribed: no more mail, and an import will not add it back. Use 'forget' to erase it.",
        [Data], ["EMAIL"]);

    public static readonly CliVerb SubscriberImport = new("subscribers import",
        "add the addresses in a CSV file, all or none",
        "Reads FILE (CSV, UTF-8; '-' reads standard input). A first row with an 'email' column is a header; 'tags', 'cadence' and 'status'\n" +
        "columns are used when present. Without a header the columns are email, tags, cadence. Every bad row is\n" +
        "reported with its line number and nothing is imported; the same address twice is imported once. Addresses\n" +
        "already on the list are left as they are. New addresses are pending and get a confirmation mail, unless\n" +
        "--confirmed is given: use that only for a list whose consent is on record. A row whose status is\n" +
        "unsubscribed or bounced keeps it.",
        [Confirmed, Data, Content], ["FILE"]);

    public static readonly CliVerb SubscriberExport = new("subscribers export",
        "write the list to a CSV file ('-' for standard output)",
        "Writes every subscriber with status, cadence, tags and times; 'import' reads the file back.",
        [Data], ["FILE"]);

    public static readonly CliVerb SubscriberForget = new("subscribers forget",
        "erase one address and its mail history (GDPR)",
        "Deletes EMAIL and everything sent or queued to it. It cannot be undone; to stop mail but keep the record,\n" +
        "use 'remove'.",
        [Data], ["EMAIL"]);

    public static readonly CliVerb DigestPreview = new("digest preview",
        "show the next digest a subscriber would get, changing nothing",
        "Plans the digest --to EMAIL would get now (its cadence, tags, watermark, the cool-off) and writes the finished\n" +
        "message, or says that nothing is new. Nothing is sent and nothing is recorded.",
        [To, OutFile, Data, Content]);

    public static readonly CliVerb DigestSend = new("digest send",
        "run a digest now and send it, with progress",
        "Finishes any run a stop interrupted, then plans a run for each cadence (or --cadence NAME): every active\n" +
        "subscriber's delivery is written before the first mail leaves. Then sends every pending delivery. A digest\n" +
        "holds the posts new to that subscriber, past the Digests:CoolOff; a subscriber with nothing new is recorded\n" +
        "as skipped. Run it again after a failure: what was sent is not sent again.",
        [OneCadence, Data, Content]);

    public static readonly CliVerb DigestStatus = new("digest status",
        "the recent runs with their counts: sent, skipped, failed, pending",
        "Lists the newest runs first.",
        [Data]);

    public static readonly CliVerb DigestRetry = new("digest retry",
        "put a run's failed deliveries back in the queue",
        "Re-queues only the failed deliveries of RUN (as 'digest status' names it); 'digest send' sends them.",
        [Data], ["RUN"]);

    public static readonly CliVerb StorageMigrate = new("storage migrate",
        "copy this SQLite install into an empty PostgreSQL database, verifying the counts",
        "Copies the subscribers (with their ids, so links already mailed keep working), the queued mail and the digest\n" +
        "history into --to, in one transaction, then counts both sides table by table and keeps nothing unless they\n" +
        "agree. Stop the service first. The SQLite file is left as it was. Afterwards set Storage:Provider=Postgres,\n" +
        "Storage:ConnectionString and Subscriptions:SigningKey (the old data/signing.key) on every node.\n" +
        "Keep the password off the command line, where other users can read it: leave it out of --to and set\n" +
        "PGPASSWORD, or put it in ~/.pgpass (or the file PGPASSFILE names; mode 0600); or give the whole\n" +
        "connection string in BLOG_MIGRATE_TO instead of --to.",
        [Target, Data]);

    public static readonly ImmutableArray<CliVerb> All =
        [Run, Build, Check, SubscriberAdd, SubscriberList, SubscriberRemove, SubscriberImport, SubscriberExport, SubscriberForget,
         DigestPreview, DigestSend, DigestStatus, DigestRetry, StorageMigrate];

    public static readonly ImmutableArray<string> Groups = [SubscribersGroup, DigestGroup, StorageGroup];

    public ImmutableArray<string> Positional => Arguments.IsDefault ? [] : Arguments;

    /// <summary>True for the verbs that only consult the posts, if at all: a missing post folder is not a settings error.</summary>
    public bool IsSubscriberCommand => Name.StartsWith(SubscribersGroup + " ", StringComparison.Ordinal) || Name.StartsWith(DigestGroup + " ", StringComparison.Ordinal)
        || Name.StartsWith(StorageGroup + " ", StringComparison.Ordinal);

    public static IEnumerable<CliVerb> InGroup(string group) => All.Where(v => v.Name.StartsWith(group + " ", StringComparison.Ordinal));
}
