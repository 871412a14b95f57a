/** Minimal types for bpmn-moddle 10, which ships types for the BPMN meta-model but not for the BpmnModdle class. */
declare module 'bpmn-moddle' {
  /** A parsed model element; BPMN properties are read by name (see the BPMN meta-model). */
  export interface ModdleElement {
    $type: string;
    $parent?: ModdleElement;
    /** Attributes the meta-model does not define (foreign namespaces, unknown names). */
    $attrs?: Record<string, string>;
    id?: string;
    name?: string;
    [property: string]: unknown;
  }

  export interface ImportWarning {
    message: string;
    element?: ModdleElement;
    property?: string;
    value?: unknown;
    error?: Error & { line?: number; column?: number };
  }

  export interface ImportResult {
    rootElement: ModdleElement;
    warnings: ImportWarning[];
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ImportResult>;
    toXML(element: ModdleElement, options?: Record<string, unknown>): Promise<{ xml: string }>;
  }
}
