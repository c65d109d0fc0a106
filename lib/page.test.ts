import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pageOf } from "./page";

describe("page of a list", () => {
	it("when the total is a multiple of the page size then there are exactly total / size pages", () => {
		assert.deepEqual(pageOf(["a", "b"], 40, 2, 20), { rows: ["a", "b"], total: 40, page: 2, pageSize: 20, totalPages: 2 });
	});

	it("when the total spills over then the last, partial page counts", () => {
		assert.equal(pageOf([], 41, 1, 20).totalPages, 3);
		assert.equal(pageOf([], 1, 1, 20).totalPages, 1);
	});

	it("when the list is empty then there are no pages, and the requested page is echoed", () => {
		assert.deepEqual(pageOf([], 0, 3, 20), { rows: [], total: 0, page: 3, pageSize: 20, totalPages: 0 });
	});
});
