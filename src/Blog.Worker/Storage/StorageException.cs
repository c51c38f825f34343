namespace Blog.Storage;

/// <summary>The database cannot be used: it cannot be opened, or its schema is newer than this program.</summary>
public sealed class StorageException : Exception
{
    public StorageException(string message) : base(message) { }

    public StorageException(string message, Exception inner) : base(message, inner) { }

    public StorageException() { }
}
