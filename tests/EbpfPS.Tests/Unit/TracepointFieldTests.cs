using EbpfPS.Core.TraceFs;
using Xunit;

namespace EbpfPS.Tests.Unit
{
    public class TracepointFieldTests
    {
        [Theory]
        [InlineData("__data_loc char[] filename", 4, "filename", "String", 0)]
        [InlineData("__data_loc u8[] buf", 4, "buf", "DynamicBytes", 0)]
        [InlineData("char comm[16]", 16, "comm", "String", 16)]
        [InlineData("__u8 saddr_v6[16]", 16, "saddr_v6", "Array", 16)]
        [InlineData("unsigned long caller[8]", 64, "caller", "Array", 8)]
        [InlineData("const char * filename", 8, "filename", "Pointer", 0)]
        [InlineData("const void * skaddr", 8, "skaddr", "Pointer", 0)]
        [InlineData("pid_t pid", 4, "pid", "Integer", 0)]
        [InlineData("unsigned int fc_ineligible_rc[10]", 40, "fc_ineligible_rc", "Array", 10)]
        public void Declarations_give_name_kind_and_length(string declaration, int size, string name, string kind, int length)
        {
            var field = TracepointField.Parse(declaration, 8, size, false)!;
            Assert.Equal(name, field.Name);
            Assert.Equal(kind, field.Kind.ToString());
            Assert.Equal(length, field.ArrayLength);
        }

        [Fact]
        public void Array_elements_have_the_size_of_their_type()
        {
            Assert.Equal(8, TracepointField.Parse("unsigned long caller[8]", 16, 64, false)!.ElementSize);
            Assert.Equal(1, TracepointField.Parse("char comm[TASK_COMM_LEN]", 8, 16, true)!.ElementSize);
        }

        [Theory]
        [InlineData("int dfd", 8, false, 4, true)]
        [InlineData("umode_t mode", 8, false, 2, false)]
        [InlineData("unsigned int fd", 8, false, 4, false)]
        [InlineData("const int flags", 8, false, 4, true)]
        [InlineData("size_t count", 8, false, 8, false)]
        [InlineData("long ret", 8, true, 8, true)]
        [InlineData("int ret", 4, true, 4, true)]
        [InlineData("dev_t dev", 4, false, 4, false)]
        public void A_smaller_C_type_in_a_wider_slot_is_read_as_the_type(string declaration, int size, bool signed, int valueSize, bool valueSigned)
        {
            var field = TracepointField.Parse(declaration, 16, size, signed)!;
            Assert.Equal(valueSize, field.ValueSize);
            Assert.Equal(valueSigned, field.ValueSigned);
        }

        [Fact]
        public void Big_endian_types_are_known()
        {
            Assert.True(TracepointField.Parse("__be16 sport", 8, 2, false)!.IsBigEndian);
            Assert.False(TracepointField.Parse("__u16 sport", 8, 2, false)!.IsBigEndian);
        }

        [Fact]
        public void Common_fields_are_told_apart() => Assert.True(TracepointField.Parse("int common_pid", 4, 4, true)!.IsCommon);
    }
}
