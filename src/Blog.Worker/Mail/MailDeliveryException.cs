namespace Blog.Mail;

/// <summary>A transport could not hand a message over.</summary>
public sealed class MailDeliveryException : Exception
{
    public MailDeliveryException(string message, bool permanent, Exception? inner = null) : base(message, inner) => Permanent = permanent;

    public MailDeliveryException() { }

    public MailDeliveryException(string message) : base(message) { }

    public MailDeliveryException(string message, Exception inner) : base(message, inner) { }

    /// <summary>True when the server refused this message for good (an SMTP 5xx): sending it again cannot help.</summary>
    public bool Permanent { get; }
}
