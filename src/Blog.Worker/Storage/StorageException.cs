namespace Blog.Storage;

/// <summary>
/// The database cannot be used. Callers that care why catch a subclass: <see cref="DatabaseUnreachableException"/>
/// passes (try again, answer 503 meanwhile), <see cref="SchemaTooNewException"/> does not (stop and say so). This base
/// alone is anything else wrong with what the database holds.
/// </summary>
public class StorageException : Exception
{
    public StorageException(string message) : base(message) { }

    public StorageException(string message, Exception inner) : base(message, inner) { }

    public StorageException() { }
}
