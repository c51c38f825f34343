namespace Blog.Mail;

/// <summary>The <c>Mail:Smtp</c> section. The password is never logged.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string User { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>
    /// A PEM certificate to trust for this server even though no CA vouches for it: a relay on the same host or
    /// network with a self-signed certificate. Only that exact certificate is accepted.
    /// </summary>
    public string TrustedCertificatePath { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections kept open to the server; a digest is sent over this many at once.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>Messages a second at most, over all connections; 0 for no limit.</summary>
    public double MessagesPerSecond { get; set; }
}
