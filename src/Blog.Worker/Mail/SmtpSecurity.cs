namespace Blog.Mail;

public enum SmtpSecurity
{
    /// <summary>
    /// TLS on port 465, STARTTLS when the server offers it elsewhere. Without either the mail still goes, but a
    /// password (<see cref="SmtpOptions.User"/>) is never sent: sending stops with an error instead.
    /// </summary>
    Auto,

    /// <summary>No TLS, for a relay on the same host; a password is then sent readable, which only this choice allows.</summary>
    None,
    StartTls,
    SslOnConnect,
}
