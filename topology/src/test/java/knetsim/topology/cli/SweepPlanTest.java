package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepPlanTest {
    private static List<String> values(String option) throws SweepPlan.BadInput {
        return SweepPlan.parse(List.of(option), null).get(0).values();
    }

    @Test
    void commasInsideQuotesBracketsOrBracesDoNotSplitAndQuotesAreKeptForHocon() throws Exception {
        assertEquals(List.of("\"a,b\"", "c"), values("x=\"a,b\",c"));
        assertEquals(List.of("[\"h1.eth0\", \"h2.eth0\"]", "[]"), values("capture=[\"h1.eth0\", \"h2.eth0\"],[]"));
        assertEquals(List.of("{ model = bernoulli, p = 0.1 }", "{ model = none }"),
                values("links[0].loss={ model = bernoulli, p = 0.1 },{ model = none }"));
        assertEquals(List.of("\"say \\\"hi, there\\\"\"", "plain"), values("x=\"say \\\"hi, there\\\"\",plain"));
    }

    @Test
    void logAndLinearRangesIncludeBothEndsAndIntegerStepsStopAtTheEnd() throws Exception {
        assertEquals(List.of("0.001", "0.00211474", "0.00447214", "0.00945742", "0.02"), values("loss.p=0.001:0.02:log5"));
        assertEquals(List.of("0", "0.25", "0.5", "0.75", "1"), values("p=0:1:lin5"));
        assertEquals(List.of("1", "3", "5", "7", "9"), values("n=1:10:2"));
        assertEquals(List.of("0", "1", "10", "100"), values("n=0,1:100:log3"), "a range mixes with plain values");
        assertEquals(List.of("\"1:2:3\""), values("x=\"1:2:3\""), "a quoted value is never a range");
        assertEquals(List.of("h2:9000"), values("x=h2:9000"), "not a range: two parts");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "loss.p=0:0.02:log5     | --param loss.p=0:0.02:log5: the range 0:0.02:log5: a log range needs two ends above 0",
            "loss.p=0.1:0.2:log1    | the range 0.1:0.2:log1: log1 needs between 2 and 1000 values",
            "loss.p=0.1:0.2:linx    | the range 0.1:0.2:linx: expected linN with N a whole number",
            "loss.p=0.1:0.1:lin3    | the range 0.1:0.1:lin3: the two ends are the same",
            "n=1:10:0               | --param n=1:10:0: the range 1:10:0: the step must be at least 1",
            "n=10:1:1               | the end 1 is below the start 10",
            "n=0.5:3:1              | expected A:B:logN, A:B:linN or A:B:STEP with whole numbers",
            "n=1:100000:1           | more than 1000 values",
            "x=\"a,b                | --param x=\"a,b: a double quote is not closed",
            "x=[a,b                 | --param x=[a,b: a [ or { is not closed",
            "x=a],b                 | a ] closes nothing",
            "n=1:3:1,2              | the value 2 is listed twice"})
    void badRangesAndQuotesNameTheOption(String option, String expected) {
        SweepPlan.BadInput e = assertThrows(SweepPlan.BadInput.class, () -> values(option.trim()));
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
    }

    @Test
    void zippedParamsVaryTogetherAsOneDimensionAtTheFirstOnesPlace() throws Exception {
        List<SweepPlan.Param> params = SweepPlan.parse(List.of("a=1,2", "b=x,y,z", "c=10,20"), null);
        List<List<String>> zips = SweepPlan.zips(List.of("a,c"), params);
        assertEquals(List.of(List.of("1", "x", "10"), List.of("1", "y", "10"), List.of("1", "z", "10"),
                List.of("2", "x", "20"), List.of("2", "y", "20"), List.of("2", "z", "20")),
                SweepPlan.combinations(params, zips));
        assertEquals(12, SweepPlan.combinations(params, List.of()).size(), "without --zip: the cross product");
        assertEquals(List.of("1", "x", "10"), SweepPlan.combinations(params, List.of()).get(0));
        assertEquals(List.of("2", "z", "20"), SweepPlan.combinations(params, List.of()).get(11));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a,b    | --zip a,b: zipped params need the same number of values, but a has 2 and b has 3",
            "a,d    | --zip a,d: d is not a --param",
            "a      | --zip a: name at least two --param paths",
            "a,c,a  | --zip a,c,a: a is zipped twice",
            "a,     | --zip a,: an empty path; expected --zip PATH,PATH,..."})
    void badZipsNameTheOption(String zip, String expected) throws Exception {
        List<SweepPlan.Param> params = SweepPlan.parse(List.of("a=1,2", "b=x,y,z", "c=10,20"), null);
        SweepPlan.BadInput e = assertThrows(SweepPlan.BadInput.class, () -> SweepPlan.zips(List.of(zip.trim()), params));
        assertTrue(e.getMessage().contains(expected.trim()), e.getMessage());
    }
}
