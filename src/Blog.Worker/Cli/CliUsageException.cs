namespace Blog.Cli;

/// <summary>The command line cannot be understood; the message says how to fix it.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
