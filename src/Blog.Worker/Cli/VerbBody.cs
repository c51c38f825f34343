using System.CommandLine;

namespace Blog.Cli;

/// <summary>What a verb does once the host is built and its settings are known to be good; returns the exit status.</summary>
internal delegate Task<int> VerbBody(IServiceProvider services, ParseResult args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken);
