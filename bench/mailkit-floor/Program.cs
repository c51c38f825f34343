// The floor under blog's digest rate: a bare MailKit client sending one pre-composed message COUNT times over
// CONNECTIONS reused connections, taking the next message as a connection frees, as blog's SMTP transport does (its own
// socket with TCP_NODELAY, no TLS, no authentication). No composing, no ledger: whatever blog is slower than this is
// blog's own cost; what this is slower than smtp-source is MailKit's (and .NET sockets').
// usage: mailkit-floor MESSAGE.eml COUNT CONNECTIONS HOST PORT      prints the seconds the sending took
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: mailkit-floor MESSAGE.eml COUNT CONNECTIONS HOST PORT");
    return 2;
}
var message = await MimeMessage.LoadAsync(args[0]);
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var connections = int.Parse(args[2], CultureInfo.InvariantCulture);
var host = args[3];
var port = int.Parse(args[4], CultureInfo.InvariantCulture);

var left = count;
var stopwatch = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => SendAsync()));
stopwatch.Stop();
Console.WriteLine(stopwatch.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
return 0;

async Task SendAsync()
{
    // Nagle on would hold each message's last segment for the server's delayed ACK; blog turns it off, so must the floor.
    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync(host, port);
    using var client = new SmtpClient();
    await client.ConnectAsync(socket, host, port, SecureSocketOptions.None);
    while (Interlocked.Decrement(ref left) >= 0) await client.SendAsync(message);
    await client.DisconnectAsync(quit: true);
}
