using System.CommandLine;
using System.CommandLine.Help;
using Blog.Feeds;
using Blog.Posts;
using static Blog.Cli.CliSymbols;

namespace Blog.Cli;

/// <summary>
/// The verbs of <c>blog</c>, their options and help, built once: the parser, the help text, the typo suggestions and
/// the shell completions all come from this one tree.
/// </summary>
internal static class CommandTree
{
    public const string SubscribersGroup = "subscribers";
    public const string DigestGroup = "digest";
    public const string StorageGroup = "storage";
    public const string InboxGroup = "inbox";
    public const string AdminGroup = "admin";

    /// <summary>Help is wrapped to this width when it does not go to a terminal, whose own width is used otherwise.</summary>
    private const int RedirectedHelpWidth = 110;

    public static readonly RootCommand Root = Create();

    private static RootCommand Create()
    {
        var root = new RootCommand("blog: feeds (RSS, Atom, JSON Feed) and email subscriptions for a folder of Markdown posts.\n" +
            "With no command, runs the service as 'blog run' does.")
        {
            // Not the name of whatever process parses: the tests' host, or a renamed binary.
            HelpName = "blog",
        };
        var helpOption = root.Options.OfType<HelpOption>().Single();
        var standard = (HelpAction)helpOption.Action!;
        if (Console.IsOutputRedirected) standard.MaxWidth = RedirectedHelpWidth;
        var help = new VerbHelp(standard);
        helpOption.Action = help;

        Symbol[] service = [Content, Out, Urls, Data];
        AddSymbols(root, service);
        root.SetAction(BlogCli.RunServiceAsync);

        var run = Verb(help, "run",
            "run the service: serve the feeds and the sign-up pages over HTTP, keep the feeds current, send mail (the default)",
            "Builds the feeds, serves them over HTTP (default http://127.0.0.1:5080) with ETags, 304s and gzip/brotli,\n" +
            "and writes them to the output folder. Watches the post folder and republishes what a change touches; also\n" +
            "rescans every Posts:RescanInterval. A post dated in the future goes live at its time. /healthz answers while\n" +
            "it runs, /readyz once the database, posts and schedule are ready. Serves /subscribe, /confirm, /unsubscribe and /preferences, and sends the\n" +
            "queued mail (to the pickup folder data/mail/ unless Mail:Transport is Smtp). Stops cleanly on Ctrl+C or SIGTERM.",
            service);
        run.SetAction(BlogCli.RunServiceAsync);

        root.Subcommands.Add(run);
        root.Subcommands.Add(Verb(help, "build",
            "write the feed tree once and exit",
            "Reads every post, writes RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the blog and for each tag, and the\n" +
            "Atom archive pages. Files whose bytes did not change are left alone. Broken posts are reported and\n" +
            "skipped; the exit status is 0 unless --strict is given.",
            [Content, Out, Strict],
            (services, args, stdout, stderr, ct) => Task.FromResult(
                BuildCommand.Run(services.GetRequiredService<FeedPublisher>(), args.GetValue(Strict), stdout, stderr, ct))));
        root.Subcommands.Add(Verb(help, "check",
            "report every problem in the post folder; exit 1 if there is one",
            "Reads every post as build would, writes nothing, and lists each file that would be skipped with its\n" +
            "line, field and value.",
            [Content],
            (services, _, stdout, stderr, ct) => Task.FromResult(CheckCommand.Run(services.GetRequiredService<PublishedPosts>(), stdout, stderr, ct))));

        root.Subcommands.Add(Group(help, SubscribersGroup, "manage the mailing list",
            Verb(help, "add",
                "add one address",
                "Adds EMAIL as pending and sends it a confirmation mail, or as active with --confirmed. Tags and the cadence\n" +
                "must be ones the blog has. An address already on the list is left as it is (exit status 1).",
                [Email, Tags, Cadence, Confirmed, Data, Content], SubscriberCommands.AddAsync, postsOptional: true),
            Verb(help, "list",
                "list every address with its status, cadence and tags",
                "Prints one line per subscriber, oldest first (only those with --status STATUS, if given), then the counts by status.",
                [Status, Data], SubscriberCommands.ListAsync, postsOptional: true),
            Verb(help, "remove",
                "unsubscribe one address (the record stays)",
                "Marks EMAIL unsubscribed: no more mail, and an import will not add it back. Use 'forget' to erase it.",
                [Email, Data], SubscriberCommands.RemoveAsync, postsOptional: true),
            Verb(help, "import",
                "add the addresses in a CSV file, all or none",
                "Reads FILE (CSV, UTF-8; '-' reads standard input). A first row with an 'email' column is a header; 'tags', 'cadence' and 'status'\n" +
                "columns are used when present. Without a header the columns are email, tags, cadence. Every bad row is\n" +
                "reported with its line number and nothing is imported; the same address twice is imported once. Addresses\n" +
                "already on the list are left as they are. New addresses are pending and get a confirmation mail, unless\n" +
                "--confirmed is given: use that only for a list whose consent is on record. A row whose status is\n" +
                "unsubscribed, bounced or complained keeps it; an address erased after a spam complaint is not added.",
                [CsvFile, Confirmed, Data, Content], SubscriberFileCommands.ImportAsync, postsOptional: true),
            Verb(help, "export",
                "write the list to a CSV file ('-' for standard output)",
                "Writes every subscriber with status, cadence, tags, times, bounce count and newest bounce or complaint; 'import' reads the file back.",
                [CsvFile, Data], SubscriberFileCommands.ExportAsync, postsOptional: true),
            Verb(help, "forget",
                "erase one address and its mail history (GDPR)",
                "Deletes EMAIL and everything sent or queued to it. It cannot be undone; to stop mail but keep the record,\n" +
                "use 'remove'. An address that complained leaves only a keyed hash, so no import or add brings it back.",
                [Email, Data], SubscriberCommands.ForgetAsync, postsOptional: true)));

        root.Subcommands.Add(Group(help, DigestGroup, "preview, send and follow the email digests",
            Verb(help, "preview",
                "show the next digest a subscriber would get, changing nothing",
                "Plans the digest --to EMAIL would get now (its cadence, tags, watermark, the cool-off) and writes the finished\n" +
                "message, or says that nothing is new. Nothing is sent and nothing is recorded.",
                [To, OutFile, Data, Content], DigestCommands.PreviewAsync, postsOptional: true),
            Verb(help, "send",
                "run a digest now and send it, with progress",
                "Finishes any run a stop interrupted, then plans a run for each cadence (or --cadence NAME): every active\n" +
                "subscriber's delivery is written before the first mail leaves. Then sends every pending delivery. A digest\n" +
                "holds the posts new to that subscriber, past the Digests:CoolOff; a subscriber with nothing new is recorded\n" +
                "as skipped. Run it again after a failure: what was sent is not sent again.",
                [OneCadence, Data, Content], DigestCommands.SendAsync, postsOptional: true),
            Verb(help, "status",
                "the recent runs with their counts: sent, skipped, failed, pending",
                "Lists the newest runs first.",
                [Data], (services, _, stdout, _, ct) => DigestCommands.StatusAsync(services, stdout, ct), postsOptional: true),
            Verb(help, "retry",
                "put a run's failed deliveries back in the queue",
                "Re-queues only the failed deliveries of RUN (as 'digest status' names it); 'digest send' sends them.",
                [Run, Data], DigestCommands.RetryAsync, postsOptional: true)));

        root.Subcommands.Add(Group(help, InboxGroup, "read the return mailbox: bounces, complaints, unsubscribe requests",
            Verb(help, "check",
                "read the return mailbox once and act on what is in it, with a summary",
                "Reads Mail:Inbox (IMAP or POP3) once, as the service does: a bounce counts toward suspending its subscriber\n" +
                "(Mail:MaxBounces, or Mail:MaxSoftBounces within Mail:SoftBounceWindow), a complaint or an unsubscribe request\n" +
                "unsubscribes at once, an auto-reply is ignored; all of these are then moved to Mail:Inbox:ProcessedFolder (or\n" +
                "deleted). Anything else stays for you to read. Prints: N bounces, N complaints, N unsubscribes, N ignored,\n" +
                "N unhandled. A message acted on before is never counted again. Exit status 1 when the mailbox could not be read.",
                [Data], (services, _, stdout, stderr, ct) => InboxCommands.CheckAsync(services, stdout, stderr, ct), postsOptional: true)));

        root.Subcommands.Add(Group(help, StorageGroup, "move the data to another database",
            Verb(help, "migrate",
                "copy this SQLite install into an empty PostgreSQL database, verifying the counts",
                "Copies the subscribers (with their ids, so links already mailed keep working), the queued mail and the digest\n" +
                "history into --to, in one transaction, then counts both sides table by table and keeps nothing unless they\n" +
                "agree. Stop the service first. The SQLite file is left as it was. Afterwards set Storage:Provider=Postgres,\n" +
                "Storage:ConnectionString and Subscriptions:SigningKey (the old data/signing.key) on every node.\n" +
                "Keep the password off the command line, where other users can read it: leave it out of --to and set\n" +
                "PGPASSWORD, or put it in ~/.pgpass (or the file PGPASSFILE names; mode 0600); or give the whole\n" +
                "connection string in BLOG_MIGRATE_TO instead of --to.",
                [Target, Data], StorageCommands.MigrateAsync, postsOptional: true)));

        root.Subcommands.Add(Group(help, AdminGroup, "the owner's console accounts",
            Verb(help, "add-user",
                "add a console account; its password is read from standard input",
                "Adds the account NAME (case does not matter: it is kept in lower case). On a terminal the password is asked\n" +
                "twice and not shown; from a pipe it is the first line of standard input. Never give it as an argument,\n" +
                "where other users can read it. At least 12 characters, and not the name. Exit status 1 when the name is\n" +
                "taken or the password is refused.",
                [UserName, Data], AdminCommands.AddUserAsync, postsOptional: true),
            Verb(help, "remove-user",
                "remove a console account and end its sessions",
                "Deletes the account NAME with its passkeys; every browser signed in with it is signed out at its next request.",
                [UserName, Data], AdminCommands.RemoveUserAsync, postsOptional: true),
            Verb(help, "list-users",
                "list the console accounts: name, when created, locked until",
                "Prints one line per account. An account is locked for Admin:LockoutTime after Admin:MaxFailedSignIns failed sign-ins in a row.",
                [Data], AdminCommands.ListUsersAsync, postsOptional: true),
            Verb(help, "unlock",
                "end an account's lockout after failed sign-ins",
                "Clears the lock and the count of failed sign-ins of the account NAME, so it can sign in at once.\n" +
                "(A passkey signs in a locked account too.)",
                [UserName, Data], AdminCommands.UnlockAsync, postsOptional: true),
            Verb(help, "require-passkey",
                "whether an account needs a passkey after its password: on or off",
                "'on' makes the password alone no longer enough: the account's passkey is asked for too; refused while the\n" +
                "account has no passkey. 'off' is the way back in when the passkey is lost.",
                [UserName, OnOff, Data], AdminCommands.RequirePasskeyAsync, postsOptional: true)));

        var completion = new Command("completion", "print the shell completion script: source <(blog completion bash)");
        help.Describe(completion, "Prints a script that completes blog's commands and options as they are typed. For bash, add this line\n" +
            "to ~/.bashrc:  source <(blog completion bash)");
        Shell.AcceptOnlyFromAmong(CompletionScript.Shells);
        completion.Arguments.Add(Shell);
        completion.SetAction(args => CompletionScript.Write(args.InvocationConfiguration.Output));
        root.Subcommands.Add(completion);
        return root;
    }

    /// <summary>A verb: <paramref name="summary"/> where its parent lists it and atop its own help, <paramref name="description"/> below that.</summary>
    /// <param name="postsOptional">True for the verbs that only consult the posts, if at all: a missing post folder is not a settings error.</param>
    private static Command Verb(VerbHelp help, string name, string summary, string description, Symbol[] symbols, VerbBody? body = null, bool postsOptional = false)
    {
        var command = new Command(name, summary);
        AddSymbols(command, symbols);
        if (body is not null) command.SetAction((args, ct) => BlogCli.RunVerbAsync(args, body, postsOptional, ct));
        help.Describe(command, description);
        return command;
    }

    /// <summary>A group of verbs; the group's name alone shows its help.</summary>
    private static Command Group(VerbHelp help, string name, string summary, params Command[] verbs)
    {
        var group = new Command(name, summary);
        foreach (var verb in verbs) group.Subcommands.Add(verb);
        group.SetAction(help.Invoke);
        return group;
    }

    private static void AddSymbols(Command command, Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else command.Arguments.Add((Argument)symbol);
        }
    }
}
