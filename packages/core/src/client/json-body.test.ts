import { describe, expect, it } from 'vitest';
import { parseReplyJson, taskIdLiteral } from './json-body';

describe('parseReplyJson', () => {
  it('keeps every digit of a taskId above 2^53', () => {
    const body = parseReplyJson('{"errorId":0,"taskId":9007199254740993123}') as {
      taskId: unknown;
    };
    expect(body.taskId).toBe('9007199254740993123');
  });

  it('keeps a safe integer taskId a number', () => {
    const body = parseReplyJson('{"errorId":0, "taskId" : 4294967296 }') as { taskId: unknown };
    expect(body.taskId).toBe(4_294_967_296);
  });

  it('keeps a string taskId a string', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const body = parseReplyJson(`{"errorId":0,"taskId":"${uuid}"}`) as { taskId: unknown };
    expect(body.taskId).toBe(uuid);
  });

  it('leaves a nested taskId and other big numbers alone', () => {
    const text =
      '{"solution":{"taskId":9007199254740993123},"note":"\\"taskId\\":1","cost":9007199254740993123}';
    const body = parseReplyJson(text) as { solution: { taskId: unknown }; note: string };
    expect(typeof body.solution.taskId).toBe('number');
    expect(body.note).toBe('"taskId":1');
  });

  it('finds the taskId after strings with escaped quotes', () => {
    const text = '{"errorDescription":"a \\"quoted\\" {word}","taskId":12345678901234567890}';
    const body = parseReplyJson(text) as { taskId: unknown };
    expect(body.taskId).toBe('12345678901234567890');
  });

  it('throws SyntaxError on truncated JSON', () => {
    expect(() => parseReplyJson('{"errorId":0,"taskId":90071992547409931')).toThrow(SyntaxError);
  });
});

describe('taskIdLiteral', () => {
  it('writes numbers as numbers', () => {
    expect(taskIdLiteral(2_147_483_648)).toBe('2147483648');
  });

  it('writes a big digit string as a number literal', () => {
    expect(taskIdLiteral('9007199254740993123')).toBe('9007199254740993123');
  });

  it('writes other strings as JSON strings', () => {
    expect(taskIdLiteral('0f8fad5b-d9cb')).toBe('"0f8fad5b-d9cb"');
    expect(taskIdLiteral('123')).toBe('"123"');
  });
});
