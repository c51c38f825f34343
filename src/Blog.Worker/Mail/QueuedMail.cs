namespace Blog.Mail;

/// <summary>A finished message waiting in the outbox: its MIME bytes are sent as they are, so a retry is the same message.</summary>
/// <param name="Purpose">What the mail is for (<c>confirm</c>, ...), for the owner reading the outbox.</param>
public sealed record QueuedMail(string Recipient, string MessageId, string Purpose, byte[] Mime);
