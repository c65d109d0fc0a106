import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkFloats, isDecimalNumber } from "./floats-checker";

const isNumber = (token: string) => isDecimalNumber(token, 0, token.length);

describe("the floats checker", () => {
	it("when numbers differ by less than 1e-6 and no tolerance is given then it accepts", () => {
		assert.deepEqual(checkFloats("0.333333333 2", "0.3333334 2.0000000"), { verdict: "AC" });
	});

	it("when a number is off by more than both errors then it refuses, saying by how much", () => {
		assert.deepEqual(checkFloats("1 0.5", "1 0.6"), {
			verdict: "WA",
			message: "line 1, token 2: expected 0.5, found 0.6, off by 0.100"
		});
	});

	it("when only the absolute error is given then the relative one is 0", () => {
		assert.equal(checkFloats("1000000", "1000000.5", { absolute: 1 }).verdict, "AC");
		assert.equal(checkFloats("1000000", "1000002", { absolute: 1 }).verdict, "WA");
	});

	it("when only the relative error is given then large numbers may differ in proportion and small ones barely", () => {
		assert.equal(checkFloats("1e9", "1000000900", { relative: 1e-6 }).verdict, "AC");
		assert.equal(checkFloats("1e-9", "2e-9", { relative: 1e-6 }).verdict, "WA");
	});

	it("when either error allows the difference then it accepts (absolute OR relative)", () => {
		const tolerance = { absolute: 1e-3, relative: 1e-3 };
		assert.equal(checkFloats("0.0001", "0.0009", tolerance).verdict, "AC");
		assert.equal(checkFloats("5000", "5004", tolerance).verdict, "AC");
		assert.equal(checkFloats("5000", "5006", tolerance).verdict, "WA");
	});

	it("when the difference is exactly the error then it accepts despite rounding", () => {
		assert.equal(checkFloats("0.3", "0.4", { absolute: 0.1 }).verdict, "AC");
	});

	it("when a token is not a decimal number then it must be equal", () => {
		assert.equal(checkFloats("YES 1.5", "YES 1.5000001").verdict, "AC");
		assert.equal(checkFloats("YES", "NO").verdict, "WA");
		assert.equal(checkFloats("16", "0x10").verdict, "WA");
		assert.equal(checkFloats("nan", "nan").verdict, "AC");
		assert.equal(checkFloats("inf", "1e400").verdict, "WA");
		assert.equal(checkFloats("1e400", "1e400").verdict, "AC");
	});

	it("when the token counts differ then it refuses", () => {
		assert.equal(checkFloats("1 2", "1").verdict, "WA");
		assert.equal(checkFloats("1", "1 2").verdict, "WA");
	});

	it("reads decimal numbers in the usual notations and nothing else", () => {
		for (const token of ["0", "-1", "+2", "3.", ".5", "-0.25", "1e9", "1E-9", "2.5e+3"]) assert.ok(isNumber(token), token);
		for (const token of ["", ".", "-", "e5", "1e", "1e+", "0x10", "1_000", "1.2.3", "inf", "NaN", "--1", "1e5.5"]) {
			assert.ok(!isNumber(token), token);
		}
	});

	it("accepts a value within the absolute error and refuses one clearly beyond both (property)", () => {
		fc.assert(
			fc.property(
				fc.double({ min: -1e6, max: 1e6, noNaN: true }),
				fc.double({ min: -0.99, max: 0.99, noNaN: true }),
				(value, share) => {
					const tolerance = { absolute: 1e-3, relative: 0 };
					assert.equal(checkFloats(String(value), String(value + share * 1e-3), tolerance).verdict, "AC");
					assert.equal(checkFloats(String(value), String(value + 2e-3 + Math.abs(value) * 1e-12), tolerance).verdict, "WA");
				}
			)
		);
	});
});
