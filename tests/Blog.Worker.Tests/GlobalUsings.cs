global using System.Collections.Immutable;
global using Blog.Tests.Support;
global using Xunit;
