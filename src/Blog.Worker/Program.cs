using Blog.Cli;

// Everything the service does is one of the verbs; `blog --help` lists them.
return await BlogCli.RunAsync(args, Console.Out, Console.Error);
