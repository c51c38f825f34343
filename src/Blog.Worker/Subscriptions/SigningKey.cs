using System.Security.Cryptography;
using Blog.Storage;

namespace Blog.Subscriptions;

/// <summary>
/// The secret that signs the links in mail. From <c>Subscriptions:SigningKey</c> if set; otherwise read from, or on
/// first use generated into, <c>signing.key</c> in the data folder (mode 0600). Never logged.
/// </summary>
public sealed class SigningKey(IOptions<SubscriptionOptions> options, IOptions<StorageOptions> storage)
{
    public const int MinBytes = 32;
    private readonly Lazy<byte[]> key = new(() => Load(options.Value.SigningKey, Path.Combine(storage.Value.DataPath, "signing.key")));

    internal byte[] Bytes => key.Value;

    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return bytes.Length >= MinBytes;
    }

    private static byte[] Load(string configured, string file)
    {
        if (configured.Length > 0) return TryDecode(configured, out var bytes) ? bytes : throw new StorageException("Subscriptions:SigningKey is not valid base64.");
        try
        {
            if (!File.Exists(file)) Create(file);
            return TryDecode(File.ReadAllText(file), out var stored)
                ? stored
                : throw new StorageException($"{file} does not hold a base64 key of at least {MinBytes} bytes; delete it to make a new one (every link already mailed stops working).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot read or create the signing key {file}: {e.Message}", e);
        }
    }

    private static void Create(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = $"{file}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinBytes)));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        try
        {
            // No overwrite: when two processes race to make the key, the first one's key wins and both use it.
            File.Move(temp, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temp);
        }
    }
}
