namespace Blog.Admin.Passkeys;

/// <summary>A passkey ceremony was refused; the message says why in the owner's words, and reveals nothing an attacker could use.</summary>
public sealed class PasskeyRefusedException : Exception
{
    public PasskeyRefusedException()
    {
    }

    public PasskeyRefusedException(string message) : base(message)
    {
    }

    public PasskeyRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
