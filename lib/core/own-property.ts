/**
 * Sets `key` as an own, enumerable data property of a plain object, even when the key is
 * "__proto__" (a plain assignment would set the object's prototype instead). Config data may use any
 * key: role names such as "__proto__" or "constructor" reach maps keyed by name.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
