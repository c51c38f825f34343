namespace Blog.Admin.Access;

/// <summary>An account could not be created or changed as asked; the message says why, in the owner's words.</summary>
public sealed class AdminAccountException : Exception
{
    public AdminAccountException()
    {
    }

    public AdminAccountException(string message) : base(message)
    {
    }

    public AdminAccountException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
