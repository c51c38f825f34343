using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Blog.Tests.Support;

/// <summary>
/// A bare SMTP server on loopback that closes the connection in the middle of the first <see cref="Drops"/> message
/// bodies (after the 354 and some of the data), then accepts. It speaks only what MailKit needs without extensions.
/// </summary>
public sealed class DroppingSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int dropsLeft;

    public DroppingSmtpServer(int drops)
    {
        dropsLeft = drops;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Drops => dropsLeft;

    /// <summary>The To: line of every message accepted.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Accepted { get; } = new();

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost ESMTP test");
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    var verb = line.Split(' ')[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO" or "HELO":
                            await writer.WriteLineAsync("250 localhost");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 bye");
                            return;
                        case "DATA":
                            await writer.WriteLineAsync("354 go ahead");
                            var to = "";
                            var read = 0;
                            while (await reader.ReadLineAsync() is { } body && body != ".")
                            {
                                if (body.StartsWith("To:", StringComparison.OrdinalIgnoreCase)) to = body[3..].Trim();
                                // Mid-DATA: some of the body is in, the end is not.
                                if (++read == 5 && Interlocked.Decrement(ref dropsLeft) >= 0)
                                {
                                    client.Client.Close();
                                    return;
                                }
                            }
                            Accepted.Enqueue(to);
                            await writer.WriteLineAsync("250 accepted");
                            break;
                        default:
                            await writer.WriteLineAsync("250 ok");
                            break;
                    }
                }
            }
            catch (IOException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (SocketException)
        {
        }
        stop.Dispose();
    }
}
