using System.Text;
using MimeKit;

namespace Blog.Mail;

/// <summary>
/// Writes each message as an .eml file, atomically (temporary file, fsync, rename). The file is named after the
/// Message-ID, so a message sent again after a crash replaces its own file instead of appearing twice.
/// </summary>
public sealed class PickupFolderTransport(string folder) : IMailTransport
{
    public string Folder { get; } = folder;

    public string Describe() => Folder;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        // The composer always sets one; a message from elsewhere without one still gets a unique file.
        var name = FileName(message.MessageId ?? Guid.NewGuid().ToString("N"));
        var path = Path.Combine(Folder, name);
        var temp = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Folder);
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
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
