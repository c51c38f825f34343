using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Blog.Tests.Support;

/// <summary>
/// A throw-away Dovecot (Debian's <c>dovecot-imapd</c> and <c>dovecot-pop3d</c>) for the tests: a config, a
/// passwd-file and the Maildirs in a temp folder, IMAP and POP3 on 127.0.0.1 and free ports, STARTTLS required with a
/// certificate made at start (<see cref="CertificatePath"/> for <c>Mail:Inbox:TrustedCertificatePath</c>). It runs as
/// the unprivileged <c>dovecot</c> user when the tests run as root, as the current user otherwise. A missing Dovecot
/// fails the tests with the way to get it; it never skips them.
/// </summary>
public sealed class DovecotServer : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private readonly HashSet<string> users = [];
    private int delivered;

    public int ImapPort { get; private set; }

    public int Pop3Port { get; private set; }

    /// <summary>The server's certificate, PEM: trusting it is what lets a client finish STARTTLS.</summary>
    public string CertificatePath => folder.Combine("cert.pem");

    private string Config => folder.Combine("dovecot.conf");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Who the server runs as, and owns the mail as.</summary>
    private static string ServerUser => IsRoot ? "dovecot" : Environment.UserName;

    public Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/dovecot"))
            throw new InvalidOperationException(
                "Dovecot is not installed (no /usr/sbin/dovecot). Run the README's test command (bash tests/run.sh), which installs it, or: apt-get install -y dovecot-imapd dovecot-pop3d");
        using (var certificate = TestCertificate.Create())
        {
            TestCertificate.WritePem(certificate, CertificatePath);
            File.WriteAllText(folder.Combine("key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }
        Directory.CreateDirectory(folder.Combine("run"));
        Directory.CreateDirectory(folder.Combine("state"));
        Directory.CreateDirectory(folder.Combine("mail"));
        File.WriteAllText(folder.Combine("users"), "");
        for (var attempt = 1; ; attempt++)
        {
            ImapPort = LoopbackPort.Unused();
            Pop3Port = LoopbackPort.Unused();
            File.WriteAllText(Config, Configuration());
            Own(folder.Path);
            // The daemon binds its listeners before it forks to the background and this returns: once it has, both
            // ports take connections. Its output goes to a file, since the daemon would hold a pipe open for ever.
            var (exit, output) = AsServer("/bin/sh", ["-c", $"exec /usr/sbin/dovecot -c '{Config}' </dev/null >'{folder.Combine("start.log")}' 2>&1"]);
            var said = File.Exists(folder.Combine("start.log")) ? File.ReadAllText(folder.Combine("start.log")) : "";
            if (exit == 0) return Task.CompletedTask;
            // A port taken between our choosing and the server's binding: choose again.
            if (attempt < 5 && said.Contains("Address already in use", StringComparison.Ordinal)) continue;
            throw new InvalidOperationException($"dovecot did not start ({exit}):\n{output}{said}");
        }
    }

    /// <summary>Adds a user with an empty INBOX.</summary>
    public void CreateUser(string user, string password)
    {
        lock (users)
        {
            if (!users.Add(user)) throw new InvalidOperationException($"user {user} exists already");
            File.AppendAllText(folder.Combine("users"), $"{user}:{{PLAIN}}{password}\n");
            foreach (var part in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(Maildir(user), part));
            Own(folder.Combine("mail", user));
        }
    }

    /// <summary>
    /// Puts a message in a user's folder as a local delivery agent does: written whole to <c>tmp/</c>, then renamed
    /// into <c>new/</c>, where the server sees it (and tells a client in IDLE at once).
    /// </summary>
    public void Deliver(string user, byte[] message, string folderName = "INBOX")
    {
        var box = FolderPath(user, folderName);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{Interlocked.Increment(ref delivered)}P{Environment.ProcessId}.blogtest,S={message.Length}");
        var temporary = Path.Combine(box, "tmp", name);
        File.WriteAllBytes(temporary, message);
        // Root's file (0644 under the usual umask) in the server's folder: the server reads it, and renames or removes
        // it by the folder's rights.
        File.Move(temporary, Path.Combine(box, "new", name));
    }

    public void Deliver(string user, string message, string folderName = "INBOX") => Deliver(user, Encoding.UTF8.GetBytes(message.ReplaceLineEndings("\r\n")), folderName);

    /// <summary>The messages in a user's folder (none when the folder does not exist), without those flagged deleted and not yet expunged.</summary>
    public IReadOnlyList<string> Messages(string user, string folderName = "INBOX")
    {
        var box = FolderPath(user, folderName);
        if (!Directory.Exists(box)) return [];
        return [.. new[] { "new", "cur" }.Select(part => Path.Combine(box, part)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Where(file => !Path.GetFileName(file).Contains(":2,", StringComparison.Ordinal) || !Path.GetFileName(file).Split(":2,")[1].Contains('T', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)];
    }

    /// <summary>A fresh user's name, unique in this server, with its password: each test gets a mailbox of its own.</summary>
    public (string User, string Password) NewUser()
    {
        var user = $"u{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        CreateUser(user, password);
        return (user, password);
    }

    public Task DisposeAsync()
    {
        AsServer("/usr/bin/doveadm", ["-c", Config, "stop"]);
        folder.Dispose();
        return Task.CompletedTask;
    }

    private string Maildir(string user) => folder.Combine("mail", user, "Maildir");

    /// <summary>Maildir++: INBOX is the Maildir itself, another folder <c>.Name</c> in it.</summary>
    private string FolderPath(string user, string folderName) =>
        folderName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? Maildir(user) : Path.Combine(Maildir(user), "." + folderName);

    private string Configuration() => $$"""
        # Written by the tests' DovecotServer: everything in {{folder.Path}}, nothing of the system's Dovecot.
        base_dir = {{folder.Combine("run")}}
        state_dir = {{folder.Combine("state")}}
        instance_name = blogtest-{{Path.GetFileName(folder.Path)}}
        log_path = {{folder.Combine("dovecot.log")}}
        protocols = imap pop3
        listen = 127.0.0.1
        default_internal_user = {{ServerUser}}
        default_internal_group = {{ServerUser}}
        default_login_user = {{ServerUser}}
        first_valid_uid = 1
        ssl = required
        ssl_cert = <{{CertificatePath}}
        ssl_key = <{{folder.Combine("key.pem")}}
        disable_plaintext_auth = yes
        auth_mechanisms = plain login
        auth_failure_delay = 0
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%n {{folder.Combine("users")}}
        }
        userdb {
          driver = static
          args = uid={{ServerUser}} gid={{ServerUser}} home={{folder.Combine("mail")}}/%n
        }
        mail_location = maildir:~/Maildir
        mail_fsync = never
        service imap-login {
          chroot =
          inet_listener imap {
            port = {{ImapPort}}
          }
          inet_listener imaps {
            port = 0
          }
        }
        service pop3-login {
          chroot =
          inet_listener pop3 {
            port = {{Pop3Port}}
          }
          inet_listener pop3s {
            port = 0
          }
        }
        service anvil {
          chroot =
        }
        """;

    private static void Own(string path)
    {
        if (!IsRoot) return;
        var (exit, output) = ExternalTool.Run("chown", ["-R", $"{ServerUser}:{ServerUser}", path]);
        if (exit != 0) throw new InvalidOperationException($"chown {path} failed ({exit}):\n{output}");
    }

    private static (int Exit, string Output) AsServer(string program, string[] args) =>
        IsRoot ? ExternalTool.Run("runuser", ["-u", ServerUser, "--", program, .. args]) : ExternalTool.Run(program, args);
}

[CollectionDefinition(Name)]
public sealed class SharedDovecot : ICollectionFixture<DovecotServer>
{
    public const string Name = "dovecot";
}
