namespace Blog.Mail;

public enum MailTransportKind
{
    /// <summary>Each message becomes an .eml file in <see cref="MailOptions.PickupPath"/>.</summary>
    Pickup,

    /// <summary>Each message is sent to <see cref="MailOptions.Smtp"/> with MailKit.</summary>
    Smtp,
}
