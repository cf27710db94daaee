using System.Linq;
using EbpfPS.Core;
using EbpfPS.Core.Btf;
using EbpfPS.Probes.KernelFunctions;
using EbpfPS.Probes.UserFunctions;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    /// <summary>-ArgumentType: C declarations of a user function's arguments, read into the prototype that types its calls.</summary>
    public class UserFunctionPrototypeTests
    {
        [Theory]
        [InlineData("const char *path", "path", "const char *", "Pointer", 8, true)]
        [InlineData("string", "arg0", "const char *", "Pointer", 8, true)]
        [InlineData("char*s", "s", "char *", "Pointer", 8, true)]
        [InlineData("unsigned char *buf", "buf", "unsigned char *", "Pointer", 8, true)]
        [InlineData("void *", "arg0", "void *", "Pointer", 8, false)]
        [InlineData("pointer", "arg0", "void *", "Pointer", 8, false)]
        [InlineData("struct sockaddr *addr", "addr", "struct sockaddr *", "Pointer", 8, false)]
        [InlineData("struct sockaddr *", "arg0", "struct sockaddr *", "Pointer", 8, false)]
        [InlineData("char **argv", "argv", "char **", "Pointer", 8, false)]
        [InlineData("int flags", "flags", "int", "Signed", 4, false)]
        [InlineData("int", "arg0", "int", "Signed", 4, false)]
        [InlineData("unsigned int n", "n", "unsigned", "Unsigned", 4, false)]
        [InlineData("long int x", "x", "long", "Signed", 8, false)]
        [InlineData("unsigned long long", "arg0", "unsigned long long", "Unsigned", 8, false)]
        [InlineData("short", "arg0", "short", "Signed", 2, false)]
        [InlineData("size_t n", "n", "size_t", "Unsigned", 8, false)]
        [InlineData("uint8_t b", "b", "uint8_t", "Unsigned", 1, false)]
        [InlineData("pid_t pid", "pid", "pid_t", "Signed", 4, false)]
        [InlineData("bool on", "on", "bool", "Bool", 1, false)]
        [InlineData("enum mode m", "m", "enum mode", "Signed", 4, false)]
        public void A_declaration_gives_the_argument_its_name_and_type(string declaration, string name, string type, string shape, int size, bool isString)
        {
            var parameter = Assert.Single(UserFunctionPrototype.Parse(new[] { declaration }, "/bin/x:f")!.Parameters);
            Assert.Equal(name, parameter.Name);
            Assert.Equal(type, parameter.Type.Name);
            Assert.Equal(shape, parameter.Type.Shape.ToString());
            Assert.Equal(size, parameter.Type.Size);
            Assert.Equal(isString, parameter.Type.IsString);
        }

        [Fact]
        public void A_whole_prototype_declares_the_return_type_too_and_names_the_function_as_traced()
        {
            var prototype = UserFunctionPrototype.Parse(new[] { "char *readline (const char *prompt);" }, "/bin/bash:readline")!;
            Assert.Equal("readline", prototype.Name);
            Assert.Equal("char *", prototype.ReturnType.Name);
            Assert.True(prototype.ReturnType.IsString);
            Assert.Equal("prompt", Assert.Single(prototype.Parameters).Name);
            Assert.Equal("char * readline(const char * prompt)", prototype.Prototype);

            Assert.Empty(UserFunctionPrototype.Parse(new[] { "int getppid(void)" }, "libc:getppid")!.Parameters);
            Assert.Equal(2, UserFunctionPrototype.Parse(new[] { "int printf(const char *format, int n, ...)" }, "libc:printf")!.Parameters.Count);
            Assert.Null(UserFunctionPrototype.Parse(null, "libc:getppid"));
        }

        [Fact]
        public void Strings_to_read_are_marked_in_order_arguments_first_then_the_return_value()
        {
            var prototype = UserFunctionPrototype.Parse(new[] { "char *f(int a, const char *b, void *c, char *d)" }, "x:f");
            Assert.Equal(0b1_001010, CallRecords.StringArguments(prototype));
            Assert.Equal(0b0_000010, CallRecords.StringArguments(prototype, constOnly: true));
            Assert.Equal(0, CallRecords.StringArguments(null));
        }

        [Theory]
        [InlineData("float x")]
        [InlineData("double")]
        [InlineData("struct timespec ts")]
        [InlineData("my_handle_t h")]
        [InlineData("int a, b")]
        [InlineData("char *a, char *b, char *c, char *d")]
        [InlineData("int a, int b, int c, int d, int e, int f, int g")]
        [InlineData("char *f(char *a, char *b, char *c)")]
        [InlineData("(int a)")]
        public void What_cannot_be_read_from_registers_is_refused_with_its_error_id(string declarations)
        {
            var e = Assert.Throws<BpfException>(() => UserFunctionPrototype.Parse(declarations.Contains('(') ? new[] { declarations } : declarations.Split(", "), "x:f"));
            Assert.Equal(BpfErrorIds.UserFunctionArgumentTypeInvalid, e.ErrorId);
            Assert.Contains("-ArgumentType", e.Message);
            Assert.False(string.IsNullOrEmpty(e.Hint));
        }
    }
}
