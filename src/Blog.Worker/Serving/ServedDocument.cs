using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Blog.Serving;

/// <summary>
/// One version of a document as the HTTP endpoint serves it: its bytes, a strong ETag that is a hash of them, the
/// time it last changed for readers, and its compressed forms, each made once per version on first request.
/// Nothing in it depends on the clock or the machine, so every node serving the same content answers the same.
/// </summary>
public sealed class ServedDocument
{
    private readonly Lazy<byte[]> gzip;
    private readonly Lazy<byte[]> brotli;
    private readonly string gzipETag;
    private readonly string brotliETag;

    public ServedDocument(string path, byte[] bytes, string contentType, DateTimeOffset? lastModified)
    {
        Path = path;
        Bytes = bytes;
        ContentType = contentType;
        // HTTP dates have whole seconds; a validator finer than that could never match If-Modified-Since.
        LastModified = lastModified is { } t ? new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero) : null;
        Hash = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16));
        ETag = $"\"{Hash}\"";
        gzipETag = $"\"{Hash}-gzip\"";
        brotliETag = $"\"{Hash}-br\"";
        // Made once per version: every conditional request compares against them.
        ETags = [new EntityTagHeaderValue(ETag), new EntityTagHeaderValue(gzipETag), new EntityTagHeaderValue(brotliETag)];
        gzip = new(() => Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true)));
        brotli = new(() => Compress(bytes, s => new BrotliStream(s, CompressionLevel.Optimal, leaveOpen: true)));
    }

    public string Path { get; }
    public byte[] Bytes { get; }
    public string ContentType { get; }
    public DateTimeOffset? LastModified { get; }
    public string Hash { get; }

    /// <summary>The identity representation's ETag; a compressed one appends its coding (<c>"hash-gzip"</c>).</summary>
    public string ETag { get; }

    public string ETagFor(string? coding) => coding switch
    {
        "br" => brotliETag,
        "gzip" => gzipETag,
        _ => ETag,
    };

    /// <summary>The ETags of every coding of this version: they all name the same content.</summary>
    public ImmutableArray<EntityTagHeaderValue> ETags { get; }

    public byte[] BytesFor(string? coding) => coding switch
    {
        "br" => brotli.Value,
        "gzip" => gzip.Value,
        _ => Bytes,
    };

    public bool SameBytes(ServedDocument? other) =>
        ReferenceEquals(other, this) || (other is not null && other.Hash == Hash && other.Bytes.AsSpan().SequenceEqual(Bytes));

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> open)
    {
        using var output = new MemoryStream(bytes.Length / 4 + 64);
        using (var compressor = open(output))
        {
            compressor.Write(bytes);
        }
        return output.ToArray();
    }
}
