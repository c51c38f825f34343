namespace Blog.Storage;

/// <summary>The database cannot be reached or opened just now: a server down, a network cut, a file that cannot be opened. Worth trying again.</summary>
public sealed class DatabaseUnreachableException : StorageException
{
    public DatabaseUnreachableException(string message) : base(message) { }

    public DatabaseUnreachableException(string message, Exception inner) : base(message, inner) { }

    public DatabaseUnreachableException() { }
}
