/// <reference types="svelte" />
/// <reference types="vite/client" />
import '../../preload/index.d.ts';
