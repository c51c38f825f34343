using System.Text;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Writes each message as an .eml file, atomically (temporary file, fsync, rename). The file is named after the
/// Message-ID, so a message sent again after a crash replaces its own file instead of appearing twice. Files are
/// created 0600, and the folder, when this creates it, 0700. An envelope sender is written first, as the
/// <c>Return-Path</c> header a delivering server adds, so the folder shows where bounces would go.
/// </summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public string Folder { get; } = folder;

    public string Describe() => Folder;

    public async Task SendAsync(MimeMessage message, MailboxAddress? sender, CancellationToken cancellationToken)
    {
        // The composer always sets one; a message from elsewhere without one still gets a unique file.
        var name = FileName(message.MessageId ?? Guid.NewGuid().ToString("N"));
        var path = Path.Combine(Folder, name);
        var temp = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            CreateFolder();
            await using (var stream = new FileStream(temp, Create))
            {
                if (sender is not null) await stream.WriteAsync(ReturnPath(sender), cancellationToken);
                await message.WriteToAsync(stream, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            // A full disk or a permission problem can pass; the outbox retries.
            throw new MailDeliveryException($"cannot write {path}: {e.Message}", permanent: false, e);
        }
    }

    /// <summary>The header line, ending as MimeKit ends the message's own lines, so the file keeps one kind of line end.</summary>
    private static byte[] ReturnPath(MailboxAddress sender) => Encoding.UTF8.GetBytes(
        $"Return-Path: <{sender.Address}>{(FormatOptions.Default.NewLineFormat == NewLineFormat.Dos ? "\r\n" : "\n")}");

    // Mail holds addresses and the links that confirm, change or end a subscription: for the owner's eyes only. The
    // mode is given at creation, so no other user can open the file in between.
    private static readonly FileStreamOptions Create = CreateOptions();

    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    /// <summary>A folder made here is the owner's alone (0700); one that exists keeps the mode its owner gave it.</summary>
    private void CreateFolder()
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Folder);
        else Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The Message-ID with anything a file system might mind replaced.</summary>
    public static string FileName(string messageId)
    {
        var sb = new StringBuilder(messageId.Length + 4);
        foreach (var c in messageId) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_');
        return sb.Append(".eml").ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
