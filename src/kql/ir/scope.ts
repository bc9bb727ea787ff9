import type { KqlType } from '../types.js';
import type { SyntaxNodeData } from '../frontend/syntax.js';
import type { Expr, Plan } from './ir.js';

/** What a name bound by `let` (or a function parameter) stands for. */
export type Binding =
  | { kind: 'scalar'; expr: Expr }
  | { kind: 'tabular'; plan: Plan }
  | { kind: 'function'; params: Array<{ name: string; type?: KqlType; defaultValue?: SyntaxNodeData }>; body?: FunctionBodyAt };

/**
 * Where a let-declared function's body starts in the text that declares it: the query's own
 * text (`inQuery`) or an enclosing function's body. Offsets inside the body's expansion are
 * relative to the body, so schema discovery rebases them with this (schema-discovery.ts).
 */
export interface FunctionBodyAt {
  start: number;
  inQuery: boolean;
}

/** Lexical scope of let bindings: inner scopes shadow outer ones. */
export class Scope {
  private readonly names = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  bind(name: string, b: Binding): void {
    this.names.set(name, b);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  child(): Scope {
    return new Scope(this);
  }
}
