namespace Blog.Mail;

/// <summary>A transport could not hand a message over.</summary>
public sealed class MailDeliveryException : Exception
{
    public MailDeliveryException(string message, bool permanent, Exception? inner = null) : base(message, inner) => Permanent = permanent;

    private MailDeliveryException(string message, Exception? inner, bool stopSending) : base(message, inner) => StopSending = stopSending;

    public MailDeliveryException() { }

    public MailDeliveryException(string message) : base(message) { }

    public MailDeliveryException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// A failure of the mail setup, not of this message: see <see cref="StopSending"/>. The message names the setting
    /// to change.
    /// </summary>
    public static MailDeliveryException Setup(string message, Exception? inner = null) => new(message, inner, stopSending: true);

    /// <summary>True when the server refused this message for good (an SMTP 5xx): sending it again cannot help.</summary>
    public bool Permanent { get; }

    /// <summary>
    /// True when every message would fail the same way until the owner changes <c>Mail:Smtp</c> (a refused login,
    /// a connection that would have sent the password unencrypted). A sender stops its round at once and leaves its
    /// mail as it was: not failed, not a bounce, no attempt counted. Never <see cref="Permanent"/>.
    /// </summary>
    public bool StopSending { get; }
}
