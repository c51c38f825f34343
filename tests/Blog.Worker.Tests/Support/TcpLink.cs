using System.Net;
using System.Net.Sockets;

namespace Blog.Tests.Support;

/// <summary>A loopback TCP relay to a port, on a port of its own; cut, it drops every connection and refuses new ones.</summary>
public sealed class TcpLink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> open = [];
    private readonly Lock gate = new();
    private readonly int target;
    private readonly Task accepting;
    private bool up = true;

    private TcpLink(int target)
    {
        this.target = target;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static TcpLink To(int port) => new(port);

    public void Cut()
    {
        lock (gate)
        {
            up = false;
            foreach (var client in open) Reset(client);
            open.Clear();
        }
    }

    public void Restore()
    {
        lock (gate) up = true;
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var upstream = new TcpClient();
            try
            {
                lock (gate)
                {
                    if (!up)
                    {
                        Reset(client);
                        upstream.Dispose();
                        continue;
                    }
                }
                await upstream.ConnectAsync(IPAddress.Loopback, target);
                lock (gate)
                {
                    open.Add(client);
                    open.Add(upstream);
                }
                _ = PumpAsync(client, upstream);
                _ = PumpAsync(upstream, client);
            }
            catch (SocketException)
            {
                Reset(client);
                upstream.Dispose();
            }
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Cut, or the other side closed: either way this direction is done.
        }
        Reset(from);
        Reset(to);
    }

    /// <summary>Closes with a reset, as a vanished host does, not an orderly goodbye.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Client is { } socket) socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        listener.Stop();
        await accepting;
    }
}
