namespace Blog.Templates;

/// <summary>
/// A template could not be read, parsed or rendered (a runtime error, or a limit of <see cref="TemplateSet"/>
/// reached); the message names each file, line and column.
/// </summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string message) : base(message) { }

    public TemplateException(string message, Exception inner) : base(message, inner) { }

    public TemplateException() { }
}
