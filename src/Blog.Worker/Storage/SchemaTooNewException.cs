namespace Blog.Storage;

/// <summary>The database was written by a newer blog than this one. Trying again changes nothing: run the newer blog, or restore a backup.</summary>
public sealed class SchemaTooNewException : StorageException
{
    public SchemaTooNewException(string message) : base(message) { }

    public SchemaTooNewException(string message, Exception inner) : base(message, inner) { }

    public SchemaTooNewException() { }
}
